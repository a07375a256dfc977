/**
 * @module Demo data for a first start: a few people with display names and contacts, so a newcomer can try
 * scan-to-login, contacts and devices at once (and a platform reviewer, @rita). Only ever written into an empty
 * database.
 */
import type { HostServices } from './app.ts';

/** The demo people's shared password (printed at first start and in the README). */
export const DEMO_PASSWORD = 'atrium-demo';

const PEOPLE = [
  { handle: 'ada', displayName: 'Ada Lovelace', locale: 'en' },
  { handle: 'grace', displayName: 'Grace Hopper', locale: 'en' },
  { handle: 'lin', displayName: '林徽因', locale: 'zh-CN' },
  { handle: 'rita', displayName: 'Rita Levi-Montalcini', locale: 'it' },
  { handle: 'somchai', displayName: 'สมชาย ใจดี', locale: 'th' },
] as const;

/** Seeds demo people when there are none; returns their handles, or an empty list when it did nothing. */
export async function seedDemoData(services: HostServices): Promise<string[]> {
  const { identity, contacts } = services;
  if (await identity.hasAnyAccount()) return [];
  const ids = new Map<string, string>();
  for (const person of PEOPLE) {
    const me = await identity.createAccount({ ...person, password: DEMO_PASSWORD });
    ids.set(person.handle, me.id);
  }
  const id = (handle: string): string => ids.get(handle) ?? '';
  // ada and grace are contacts; lin and rita have asked ada; ada has asked somchai.
  const first = await contacts.request(id('grace'), { handle: 'ada' }, 'Hi Ada, it is Grace.');
  if ('request' in first) await contacts.accept(id('ada'), first.request.id);
  await contacts.request(id('lin'), { handle: 'ada' }, '你好 Ada!');
  await contacts.request(id('rita'), { handle: 'ada' }, 'Ciao Ada!');
  await contacts.request(id('ada'), { handle: 'somchai' }, 'Sawasdee!');
  // rita reviews mini-app versions submitted on the developer platform.
  await services.developer.members.grantReviewer(id('rita'));
  return PEOPLE.map((p) => p.handle);
}
