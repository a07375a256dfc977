/**
 * @module The developer platform, assembled: what createHost builds and other domains may call.
 */
import type { Clock } from '../core/clock.ts';
import type { Random } from '../core/random.ts';
import type { Database } from '../db/database.ts';
import { DeveloperApps } from './apps.ts';
import { DeveloperAudit } from './audit.ts';
import { DeviceAuth } from './device-auth.ts';
import { Members } from './members.ts';
import { Previews } from './previews.ts';
import { Releases } from './releases.ts';
import { DeveloperTokens } from './tokens.ts';
import { Versions, type PackageSigner } from './versions.ts';

export { PLATFORM, type Actor } from './actor.ts';

/** Every developer-platform service. */
export interface DeveloperPlatform {
  audit: DeveloperAudit;
  members: Members;
  apps: DeveloperApps;
  versions: Versions;
  releases: Releases;
  tokens: DeveloperTokens;
  deviceAuth: DeviceAuth;
  previews: Previews;
}

/** Builds the developer platform's services. */
export function createDeveloperPlatform(options: { database: Database; clock: Clock; random: Random; publicUrl: string; sign: PackageSigner }): DeveloperPlatform {
  const { database, clock, random, publicUrl, sign } = options;
  const audit = new DeveloperAudit({ database, clock, random });
  const members = new Members({ database, clock, audit });
  const tokens = new DeveloperTokens({ database, clock, random });
  return {
    audit,
    members,
    tokens,
    apps: new DeveloperApps({ database, clock, random, members, audit }),
    versions: new Versions({ database, clock, members, audit, sign }),
    releases: new Releases({ database, clock, random, members, audit }),
    deviceAuth: new DeviceAuth({ database, clock, random, tokens, audit, publicUrl }),
    previews: new Previews({ database, clock, random, members, audit, publicUrl }),
  };
}
