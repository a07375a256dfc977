/**
 * @module Test host: `createHost` on a temporary database with a manual clock, cheap password hashing, a
 * silent logger and generous rate limits; plus helpers to call the API as a person would.
 */
import pino from 'pino';
import { createHost, type Host } from '../../host/src/app.ts';
import { defaultConfig, type HostConfig } from '../../host/src/config.ts';
import { createManualClock, type ManualClock } from '../../host/src/core/clock.ts';
import { tempDatabase, type Database } from '../../host/src/db/database.ts';

/** A host for one test file or test, disposed with `await using`. */
export interface TestHost extends AsyncDisposable {
  host: Host;
  database: Database;
  clock: ManualClock;
  config: HostConfig;
  /** Calls the host in-process; `json` bodies are encoded, `token` becomes a bearer header. */
  call(method: string, path: string, options?: CallOptions): Promise<TestResponse>;
  /** Signs a new person up and returns their session. */
  signUp(handle: string, extra?: { password?: string; phone?: string; displayName?: string; userAgent?: string }): Promise<TestSession>;
  /** Signs an existing person in on a new device. */
  signIn(handle: string, password?: string, userAgent?: string): Promise<TestSession>;
}

export interface CallOptions {
  json?: unknown;
  body?: string;
  token?: string;
  headers?: Record<string, string>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON (problem or data), or undefined for an empty body. */
  body: any;
  text: string;
}

export interface TestSession {
  accessToken: string;
  refreshToken: string;
  userId: string;
  deviceId: string;
  handle: string;
}

export const TEST_PASSWORD = 'correct horse battery';

/** Config for tests: fast argon2, limits high enough not to get in the way. */
export function testConfig(overrides: Partial<HostConfig> = {}): HostConfig {
  const base = defaultConfig({ publicUrl: 'http://atrium.test', passwordHashing: { memoryCost: 1024, timeCost: 1 } });
  return { ...base, rateLimits: { ...base.rateLimits, signupPerAddress: 1000, signinPerAddress: 1000, ticketsPerAddress: 1000, contactRequestsPerUser: 1000 }, ...overrides };
}

/**
 * Starts a test host.
 * @example await using t = await startTestHost(); const ada = await t.signUp('ada');
 */
export async function startTestHost(overrides: Partial<HostConfig> = {}): Promise<TestHost> {
  const database = tempDatabase();
  const clock = createManualClock(Date.UTC(2026, 10, 23, 9, 0, 0));
  const config = testConfig(overrides);
  const host = createHost({ db: database, clock, config, logger: pino({ level: 'silent' }) });

  async function call(method: string, path: string, options: CallOptions = {}): Promise<TestResponse> {
    const headers: Record<string, string> = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36', ...options.headers };
    let body: string | undefined = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    }
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const res = await host.request(path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown;
    if (text && /json/.test(res.headers.get('content-type') ?? '')) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed, text };
  }

  function toSession(res: TestResponse, handle: string): TestSession {
    if (res.status >= 300) throw new Error(`${handle}: ${res.status} ${res.text}`);
    return { accessToken: res.body.accessToken, refreshToken: res.body.refreshToken, userId: res.body.user.id, deviceId: res.body.device.id, handle };
  }

  return {
    host,
    database,
    clock,
    config,
    call,
    async signUp(handle, extra = {}) {
      const json = { handle, displayName: extra.displayName ?? handle.toUpperCase(), password: extra.password ?? TEST_PASSWORD, ...(extra.phone ? { phone: extra.phone } : {}) };
      const headers = extra.userAgent ? { 'user-agent': extra.userAgent } : undefined;
      return toSession(await call('POST', '/v1/auth/signup', { json, headers }), handle);
    },
    async signIn(handle, password = TEST_PASSWORD, userAgent) {
      const headers = userAgent ? { 'user-agent': userAgent } : undefined;
      return toSession(await call('POST', '/v1/auth/signin', { json: { handle, password }, headers }), handle);
    },
    async [Symbol.asyncDispose]() {
      await host.services.bus.close();
      await database[Symbol.asyncDispose]();
    },
  };
}

/** Asserts a problem+json response with the given status and code; returns its body. */
export function expectProblem(res: TestResponse, status: number, code: string): any {
  const where = `${res.status} ${res.text.slice(0, 300)}`;
  if (res.status !== status) throw new Error(`expected ${status} ${code}, got ${where}`);
  if (!res.headers.get('content-type')?.startsWith('application/problem+json')) throw new Error(`expected problem+json, got ${res.headers.get('content-type')}: ${where}`);
  if (res.body?.code !== code) throw new Error(`expected code ${code}, got ${where}`);
  return res.body;
}
