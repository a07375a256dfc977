/** @module `atrium.login()`: a one-use login code (valid 5 minutes) for the app's backend to exchange. */
import { z } from 'zod';
import { DEFAULT_BRIDGE_TIMEOUT_MS, defineBridgeApi } from '../define-api.ts';
import { NoArgs } from './shared.ts';

/**
 * Gets a one-use code; the app's backend exchanges it with its app secret (`POST /v1/miniapp/code2session`)
 * for `{ openid, unionid, sessionKey }`. The app itself never sees the person's ids.
 * @example const { code } = await atrium.login(); await atrium.request({ url: 'https://api.example.com/session', method: 'POST', data: { code } });
 */
export const login = defineBridgeApi({
  name: 'login',
  description: 'A one-use login code (5 min) for the app backend to exchange',
  side: 'host',
  scope: null,
  timeoutMs: DEFAULT_BRIDGE_TIMEOUT_MS,
  audited: true,
  args: NoArgs,
  result: z.object({ code: z.string() }),
});
