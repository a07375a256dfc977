/**
 * @module The host API client of the CLI: fetch-based, `Authorization: Bearer <token>` from ATRIUM_TOKEN or
 * the user config (per host), RFC 9457 problem+json errors mapped to `✘ ERROR <CODE>` with how to fix them.
 * Responses are validated with zod at this edge. Tokens never appear in errors or logs.
 */
import type { z } from 'zod';
import { readUserConfig } from './config.ts';
import { CliError } from './errors.ts';

/** What {@link createApiClient} takes. */
export interface ApiClientOptions {
  /** The host's origin (from `resolveHost`). */
  host: string;
  /** The developer API token (`atk_…`); see {@link tokenFor}. */
  token?: string | undefined;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Per-request timeout. @default 30_000 */
  timeoutMs?: number;
  /** Hears each request (method, path, status, ms) for `ATRIUM_LOG=debug`. */
  onRequest?: (line: string) => void;
  userAgent?: string;
}

/** One request. */
export interface ApiRequest<S extends z.ZodType | undefined> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** `/v1/…`, with query if any. */
  path: string;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is, with `contentType`. */
  body?: Uint8Array;
  contentType?: string;
  /** Makes a retried POST safe (the host dedupes on it). */
  idempotencyKey?: string;
  /** Whether the call needs a token (NOT_LOGGED_IN before sending when there is none). @default true */
  auth?: boolean;
  /** Validates the JSON response. */
  schema?: S;
  timeoutMs?: number;
  /** Hears the bytes of `body` sent so far (the body is then streamed in 64 kB chunks). */
  onUploadProgress?: (sent: number, total: number) => void;
}

/** The client. */
export interface ApiClient {
  readonly host: string;
  request<S extends z.ZodType | undefined = undefined>(request: ApiRequest<S>): Promise<S extends z.ZodType ? z.infer<S> : unknown>;
}

/** The token for a host: ATRIUM_TOKEN (CI), else the one `atrium login` stored for that host. */
export function tokenFor(host: string, env: Record<string, string | undefined>, warn?: (line: string) => void): string | undefined {
  if (env.ATRIUM_TOKEN) return env.ATRIUM_TOKEN;
  return readUserConfig(env, warn).hosts[host]?.token;
}

/** Hints by HTTP status, for codes the CLI has no specific advice for. */
function hintFor(status: number, host: string): string {
  if (status === 401) return `Run "atrium login --host ${host}" (or set ATRIUM_TOKEN) and try again.`;
  if (status === 403) return 'Your token or account is not allowed to do this: check the app\'s collaborators and the token\'s scopes.';
  if (status === 404) return 'Check the app id or version code (see "atrium apps list").';
  if (status === 409) return 'The resource changed or already exists: list it again and retry.';
  if (status === 413) return 'The upload is too large: run "atrium build" to see the size report.';
  if (status === 429) return 'Too many requests: wait a moment and retry.';
  if (status >= 500) return `The host failed (${status}); retry, and report it with the request id if it persists.`;
  return 'Fix the request as described above.';
}

/** Creates a client for one host. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const doFetch = options.fetch ?? globalThis.fetch;
  const host = options.host.replace(/\/+$/, '');
  return {
    host,
    async request(request) {
      if (request.auth !== false && !options.token) {
        throw new CliError({ code: 'NOT_LOGGED_IN', message: `not logged in to ${host}`, hint: `Run "atrium login --host ${host}", or set ATRIUM_TOKEN to a developer API token.` });
      }
      const headers: Record<string, string> = { accept: 'application/json, application/problem+json', 'user-agent': options.userAgent ?? 'atrium-cli' };
      if (request.auth !== false && options.token) headers.authorization = `Bearer ${options.token}`;
      if (request.idempotencyKey) headers['idempotency-key'] = request.idempotencyKey;
      let body: BodyInit | undefined;
      let streamed = false;
      if (request.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(request.json);
      } else if (request.body) {
        headers['content-type'] = request.contentType ?? 'application/octet-stream';
        body = request.onUploadProgress ? uploadStream(request.body, request.onUploadProgress) : (request.body as Uint8Array<ArrayBuffer>);
        streamed = request.onUploadProgress !== undefined;
      }
      const started = performance.now();
      let response: Response;
      try {
        const init: RequestInit & { duplex?: 'half' } = { method: request.method, headers, body: body ?? null, signal: AbortSignal.timeout(request.timeoutMs ?? options.timeoutMs ?? 30_000) };
        if (streamed) init.duplex = 'half'; // a streamed request body (fetch requires saying so)
        response = await doFetch(`${host}${request.path}`, init);
      } catch (cause) {
        const timedOut = (cause as { name?: string }).name === 'TimeoutError';
        const inner = (cause as { cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> } }).cause;
        const reason = timedOut ? 'timed out' : (inner?.code ?? inner?.errors?.[0]?.code ?? inner?.message ?? (cause instanceof Error ? cause.message : String(cause)));
        throw new CliError({ code: 'HOST_UNREACHABLE', message: `could not reach ${host} (${reason})`, hint: `Is the host running? Start one with "npm start", or pass --host / set ATRIUM_HOST.`, cause });
      }
      options.onRequest?.(`${request.method} ${request.path} → ${response.status} in ${Math.round(performance.now() - started)} ms`);
      const text = await response.text();
      const type = response.headers.get('content-type') ?? '';
      if (!response.ok) throw problemError(response.status, type, text, host);
      if (response.status === 204 || text === '') return undefined as never;
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch (cause) {
        throw new CliError({ code: 'HOST_RESPONSE_INVALID', message: `${request.method} ${request.path} answered ${response.status} with a body that is not JSON`, hint: 'Check that --host points at an Atrium host.', cause });
      }
      if (!request.schema) return data as never;
      const parsed = request.schema.safeParse(data);
      if (!parsed.success) {
        throw new CliError({ code: 'HOST_RESPONSE_INVALID', message: `${request.method} ${request.path} answered with an unexpected shape`, details: parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`), hint: 'The host may be a different version than this CLI: update @atrium/devtools.' });
      }
      return parsed.data as never;
    },
  };
}

/** A body that reports how much of it has been read (sent). */
function uploadStream(bytes: Uint8Array, onProgress: (sent: number, total: number) => void): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes.byteLength) {
        controller.close();
        return;
      }
      const chunk = bytes.subarray(sent, Math.min(sent + 64 * 1024, bytes.byteLength));
      sent += chunk.byteLength;
      controller.enqueue(chunk);
      onProgress(sent, bytes.byteLength);
    },
  });
}

/** Maps an error response to a CliError: a problem+json document keeps its `code`, `detail` and `errors`. */
function problemError(status: number, type: string, text: string, host: string): CliError {
  let problem: { code?: unknown; title?: unknown; detail?: unknown; errors?: unknown; instance?: unknown } | undefined;
  if (/json/.test(type)) {
    try {
      problem = JSON.parse(text) as typeof problem;
    } catch {
      problem = undefined;
    }
  }
  const code = typeof problem?.code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(problem.code) ? problem.code : `HTTP_${status}`;
  const message = typeof problem?.detail === 'string' ? problem.detail : typeof problem?.title === 'string' ? problem.title : `the host answered ${status}`;
  const details = Array.isArray(problem?.errors)
    ? problem.errors.map((e: { path?: unknown; message?: unknown }) => `${Array.isArray(e.path) ? e.path.join('.') : String(e.path ?? '')}: ${String(e.message ?? '')}`)
    : [];
  if (typeof problem?.instance === 'string') details.push(`request: ${problem.instance}`);
  return new CliError({ code, message, details, hint: hintFor(status, host), exitCode: 1 });
}
