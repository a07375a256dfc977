/**
 * @module Signed launch context: the launch parameters of a mini-app, signed with Atrium's Ed25519 keys so
 * the app's web backend can trust them without any shared secret (verify with `/.well-known/jwks.json`).
 */
import type { TokenService } from '../identity/tokens.ts';
import type { AppIdentities } from './identities.ts';
import type { AppRegistry } from './registry.ts';

/** The JWS `typ` of a launch context. */
export const LAUNCH_CONTEXT_TYP = 'atrium-launch+jwt';
/** How long a launch context may be used. */
export const LAUNCH_CONTEXT_TTL_MS = 5 * 60_000;

/** What a launch context says: `sub` is the person's openid in the app, `aud` the app id. */
export interface LaunchContextClaims {
  path: string;
  query: Record<string, string>;
}

/** Signs launch contexts for the shell to hand to an app's backend. */
export class LaunchContexts {
  readonly #o: { tokens: TokenService; identities: AppIdentities; registry: AppRegistry };

  constructor(options: { tokens: TokenService; identities: AppIdentities; registry: AppRegistry }) {
    this.#o = options;
  }

  /**
   * A compact JWS: header `{alg:'EdDSA', kid, typ:'atrium-launch+jwt'}`, claims `{iss, aud: appId,
   * sub: openid, path, query, iat, exp}`.
   * @example const { token } = await contexts.sign(userId, 'dev.atrium.todo', { path: 'pages/index', query: {} });
   */
  async sign(userId: string, appId: string, claims: LaunchContextClaims): Promise<{ token: string; expiresAt: number }> {
    await this.#o.registry.get(appId);
    const openid = await this.#o.identities.openid(appId, userId);
    return this.#o.tokens.signClaims({ path: claims.path, query: claims.query }, { typ: LAUNCH_CONTEXT_TYP, audience: appId, subject: openid, ttlMs: LAUNCH_CONTEXT_TTL_MS });
  }
}
