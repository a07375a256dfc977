/**
 * @module Host configuration: defaults, and how the environment overrides them.
 */
import { resolve } from 'node:path';
import { parseFxRates } from './wallet/fx.ts';

/** Everything the host can be told; see the README's configuration table. */
export interface HostConfig {
  /** The address people and QR codes reach the host at, without a trailing slash. */
  publicUrl: string;
  /** @default 15 minutes */
  accessTokenTtlMs: number;
  /** @default 30 days; each refresh rotates the token and restarts this. */
  refreshTokenTtlMs: number;
  /** How long one signing key signs before a new one takes over. @default 30 days */
  signingKeyRotationMs: number;
  /** @default 2 minutes */
  loginTicketTtlMs: number;
  /** Longest a login-ticket wait request is held open. @default 25 seconds */
  longPollMs: number;
  /** Largest accepted request body. @default 1 MiB */
  bodyLimitBytes: number;
  /** Origins allowed to call the API from a browser. CORS is closed when empty. @default [] */
  corsOrigins: string[];
  /** Use `X-Forwarded-For` for the client address (only behind a trusted proxy). @default false */
  trustProxy: boolean;
  /** argon2id cost; tests lower it. @default { memoryCost: 19456, timeCost: 2 } (OWASP's minimum) */
  passwordHashing: { memoryCost: number; timeCost: number };
  /** Development-only relaxations; never set in production. */
  development: {
    /** Mini-apps may call plain-http 127.0.0.1/localhost backends their manifest lists. @default false */
    allowLocalNetwork: boolean;
  };
  /** The wallet (issue 6). */
  wallet: {
    /** User ids allowed to run operator checks such as `GET /v1/admin/wallet/invariants`. @default [] */
    adminUserIds: string[];
    /** Wrong payment PINs before payments lock. @default 5 */
    pinMaxAttempts: number;
    /** How long payments stay locked after too many wrong PINs. @default 15 minutes */
    pinLockMs: number;
    /** Exchange rates for paying across currencies, `{"CNY/THB": "4.9512"}` (`ATRIUM_FX_RATES`). @default {} */
    fxRates: Record<string, string>;
    /** Payment-code payments above this (minor units) wait for the payer's PIN in the shell. @default 20000 */
    micropayConfirmAbove: number;
  };
  /** Chats and groups (issue 7). */
  messaging: MessagingConfig;
  /** Sign-in throttles. */
  rateLimits: {
    /** Failed sign-ins per account in `windowMs`. @default 10 */
    signinFailuresPerAccount: number;
    /** Sign-in attempts per client address in `windowMs`. @default 30 */
    signinPerAddress: number;
    /** Sign-ups per client address in `windowMs`. @default 10 */
    signupPerAddress: number;
    /** Login tickets per client address in `windowMs`. @default 60 */
    ticketsPerAddress: number;
    /** Contact requests per person in `windowMs`. @default 30 */
    contactRequestsPerUser: number;
    /** @default 15 minutes */
    windowMs: number;
  };
}

/** Limits and windows of messaging. */
export interface MessagingConfig {
  /** @default 500 (WeChat's group size) */
  maxGroupMembers: number;
  /** Longest text message, in characters. @default 4000 */
  maxTextChars: number;
  /** How long after sending a message its sender may recall it. @default 2 minutes (WeChat parity) */
  recallWindowMs: number;
  /** Messages one person may send per `sendWindowMs`. @default 60 */
  sendsPerWindow: number;
  /** @default 10 seconds */
  sendWindowMs: number;
  /** How long a group invite link is valid unless asked otherwise. @default 7 days */
  inviteTtlMs: number;
  /** @default 20 */
  maxActiveInvitesPerGroup: number;
  /** Groups one person may create per hour. @default 30 */
  groupsPerHour: number;
  /** Invite links one person may make per hour. @default 60 */
  invitesPerHour: number;
  /** A device further behind than this many updates gets a snapshot instead of the delta. @default 1000 */
  syncMaxDelta: number;
  /** Most updates in one sync answer. @default 200 */
  syncPageSize: number;
  /** Largest image upload, in bytes. @default 10 MiB */
  maxImageBytes: number;
  /** Largest image, in pixels (width × height), refused before decoding. @default 40 million */
  maxImagePixels: number;
  /** Thumbnails fit in a square of this many pixels. @default 320 */
  thumbnailSize: number;
}

/** The messaging defaults. */
export function defaultMessagingConfig(overrides: Partial<MessagingConfig> = {}): MessagingConfig {
  return {
    maxGroupMembers: 500,
    maxTextChars: 4000,
    recallWindowMs: 2 * 60_000,
    sendsPerWindow: 60,
    sendWindowMs: 10_000,
    inviteTtlMs: 7 * 24 * 3600_000,
    maxActiveInvitesPerGroup: 20,
    groupsPerHour: 30,
    invitesPerHour: 60,
    syncMaxDelta: 1000,
    syncPageSize: 200,
    maxImageBytes: 10 * 1024 * 1024,
    maxImagePixels: 40_000_000,
    thumbnailSize: 320,
    ...overrides,
  };
}

/** The defaults, for a host on this machine. */
export function defaultConfig(overrides: Partial<HostConfig> = {}): HostConfig {
  return {
    publicUrl: 'http://127.0.0.1:8080',
    accessTokenTtlMs: 15 * 60_000,
    refreshTokenTtlMs: 30 * 24 * 3600_000,
    signingKeyRotationMs: 30 * 24 * 3600_000,
    loginTicketTtlMs: 2 * 60_000,
    longPollMs: 25_000,
    bodyLimitBytes: 1024 * 1024,
    corsOrigins: [],
    trustProxy: false,
    passwordHashing: { memoryCost: 19456, timeCost: 2 },
    development: { allowLocalNetwork: false },
    wallet: { adminUserIds: [], pinMaxAttempts: 5, pinLockMs: 15 * 60_000, fxRates: {}, micropayConfirmAbove: 20_000 },
    messaging: defaultMessagingConfig(),
    rateLimits: {
      signinFailuresPerAccount: 10,
      signinPerAddress: 30,
      signupPerAddress: 10,
      ticketsPerAddress: 60,
      contactRequestsPerUser: 30,
      windowMs: 15 * 60_000,
    },
    ...overrides,
  };
}

/** Where the server listens and keeps its data; only `main.ts` reads these. */
export interface ServerSettings {
  host: string;
  port: number;
  dataDir: string;
  logLevel: string;
  /** Mini-apps loaded in development mode at start (`ATRIUM_MINIAPPS_DIR`; empty to load none). */
  miniappsDir: string | undefined;
  config: HostConfig;
}

/**
 * Reads `PORT`, `HOST`, `ATRIUM_DATA_DIR`, `ATRIUM_PUBLIC_URL`, `ATRIUM_CORS_ORIGINS`, `ATRIUM_TRUST_PROXY`,
 * `ATRIUM_LOG`, `ATRIUM_MINIAPPS_DIR`, `ATRIUM_DEV_LOCAL_NETWORK`, `ATRIUM_ADMIN_USER_IDS` and `ATRIUM_FX_RATES`.
 */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): ServerSettings {
  const host = env.HOST || '127.0.0.1';
  const port = Number(env.PORT || 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be 0–65535, got ${env.PORT}`);
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const publicUrl = (env.ATRIUM_PUBLIC_URL || `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`).replace(/\/+$/, '');
  try {
    new URL(publicUrl);
  } catch (cause) {
    throw new Error(`ATRIUM_PUBLIC_URL is not a URL: ${publicUrl}`, { cause });
  }
  const corsOrigins = (env.ATRIUM_CORS_ORIGINS || '').split(',').map((s) => s.trim()).filter(Boolean);
  return {
    host,
    port,
    dataDir: resolve(env.ATRIUM_DATA_DIR || 'data'),
    logLevel: env.ATRIUM_LOG || 'info',
    miniappsDir: env.ATRIUM_MINIAPPS_DIR === '' ? undefined : resolve(env.ATRIUM_MINIAPPS_DIR || 'miniapps'),
    config: defaultConfig({
      publicUrl,
      corsOrigins,
      trustProxy: env.ATRIUM_TRUST_PROXY === '1' || env.ATRIUM_TRUST_PROXY === 'true',
      development: { allowLocalNetwork: env.ATRIUM_DEV_LOCAL_NETWORK === '1' },
      wallet: {
        ...defaultConfig().wallet,
        adminUserIds: (env.ATRIUM_ADMIN_USER_IDS || '').split(',').map((s) => s.trim()).filter(Boolean),
        fxRates: Object.fromEntries(parseFxRates(env.ATRIUM_FX_RATES || '')),
      },
    }),
  };
}
