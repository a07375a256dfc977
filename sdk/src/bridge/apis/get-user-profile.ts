/** @module `atrium.getUserProfile()`: the person's nickname and avatar, with their consent. */
import { z } from 'zod';
import { BRIDGE_SCOPES, defineBridgeApi, PERSON_BRIDGE_TIMEOUT_MS } from '../define-api.ts';

/**
 * The person's public profile. Needs the `userInfo` scope in the manifest's `req_permissions`; the first call asks
 * the person, a refusal rejects with `PERMISSION_DENIED` (the app may ask again later). Send `rawData` and
 * `signature` to your backend: it checks the HMAC with the session key from its code exchange.
 * @example const { nickname, avatarUrl } = await atrium.getUserProfile({ desc: 'Show your name on your cards' });
 */
export const getUserProfile = defineBridgeApi({
  name: 'getUserProfile',
  description: "The person's nickname and avatar (consent: userInfo)",
  side: 'host',
  scope: BRIDGE_SCOPES.USER_INFO,
  timeoutMs: PERSON_BRIDGE_TIMEOUT_MS,
  audited: true,
  args: z.strictObject({ desc: z.string().max(100).optional() }),
  result: z.object({
    nickname: z.string(),
    avatarUrl: z.string().nullable(),
    /** `JSON.stringify({ nickname, avatarUrl })`, signed for the app's backend. */
    rawData: z.string(),
    /** HMAC-SHA256 of `rawData` with the session key of the app's last code exchange (null before any). */
    signature: z.string().nullable(),
  }),
});
