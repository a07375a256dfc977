/**
 * @module Test helpers for the ledger: a ledger on a temporary database with a manual clock.
 */
import { createManualClock, type ManualClock } from '../../../host/src/core/clock.ts';
import { createSeededRandom } from '../../../host/src/core/random.ts';
import { tempDatabase, type Database } from '../../../host/src/db/database.ts';
import { Ledger, type AccountRef } from '../../../host/src/wallet/ledger.ts';

export interface TestLedger extends AsyncDisposable {
  ledger: Ledger;
  database: Database;
  clock: ManualClock;
}

/** A ledger on a fresh temporary database. */
export function startLedger(seed = 'ledger'): TestLedger {
  const database = tempDatabase();
  const clock = createManualClock(Date.UTC(2026, 10, 23, 9, 0, 0));
  const ledger = new Ledger({ database, clock, random: createSeededRandom(seed) });
  return { ledger, database, clock, [Symbol.asyncDispose]: () => database[Symbol.asyncDispose]() };
}

export const WORLD: AccountRef = { kind: 'system', owner: 'world' };
export const person = (owner: string): AccountRef => ({ kind: 'person', owner });
