/**
 * @module The host session of a command: the API client for `--host`, with the token stored by `atrium login`
 * for that host (or ATRIUM_TOKEN), requests logged at `ATRIUM_LOG=debug`.
 */
import { createApiClient, tokenFor, type ApiClient } from './api-client.ts';
import type { CliIO } from './define-command.ts';
import type { Logger } from './logger.ts';
import { CLI_VERSION } from './version.ts';

/** The client a host-backed command uses. */
export function hostClient(context: { host: string; io: CliIO; log: Logger }, token: string | undefined = tokenFor(context.host, context.io.env, (w) => context.log.warn(w))): ApiClient {
  return createApiClient({
    host: context.host,
    token,
    ...(context.io.fetch ? { fetch: context.io.fetch } : {}),
    onRequest: (line) => context.log.debug(line),
    userAgent: `atrium-cli/${CLI_VERSION} node/${process.versions.node}`,
  });
}

/** Waits `ms` (the io's clock in tests). */
export function sleep(io: CliIO, ms: number): Promise<void> {
  return io.sleep ? io.sleep(ms) : new Promise((done) => setTimeout(done, ms));
}
