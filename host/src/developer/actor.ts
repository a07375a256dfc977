/**
 * @module Who does something on the developer platform: a person (signed in, or through an API token), or the
 * platform itself (development mode registering the samples).
 */

/** The scopes a developer API token can carry. */
export const TOKEN_SCOPES = ['apps:read', 'apps:write', 'versions:write', 'releases:write', 'review'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** The one doing it. `userId` null is the platform. */
export interface Actor {
  userId: string | null;
  /** The API token used, if any (its scopes were checked at the edge). */
  tokenId?: string | undefined;
}

/** The platform acting on its own (development mode). */
export const PLATFORM: Actor = { userId: null };
