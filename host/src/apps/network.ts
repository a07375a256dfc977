/**
 * @module Network access for mini-apps (`atrium.request`): https only, to the manifest's domains, never to
 * private, loopback or link-local addresses after DNS resolution (checked when the socket connects, so DNS
 * rebinding gains nothing), redirects re-checked, 10 requests at once per session, 60 s, capped bodies.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, request as undiciRequest } from 'undici';
import { AtriumError } from '../core/errors.ts';

/** Limits of {@link AppNetwork}. */
export interface AppNetworkOptions {
  /** @default 10 */
  maxConcurrentPerSession?: number;
  /** @default 60_000 */
  timeoutMs?: number;
  /** @default 8 MiB */
  maxResponseBytes?: number;
  /** @default 1 MiB */
  maxRequestBytes?: number;
  /** @default 5 */
  maxRedirects?: number;
  /**
   * Development only: allow plain http to 127.0.0.1/localhost when the manifest lists it (e.g.
   * `127.0.0.1:3000`), so an app can talk to its local backend. @default false
   */
  allowLocalForDevelopment?: boolean;
  /** DNS resolution (tests inject one). @default node:dns lookup */
  resolve?: (hostname: string) => Promise<LookupAddress[]>;
}

/** Answers requests for a development host in-process (see {@link AppNetwork.mapDevelopmentHost}). */
export type DevelopmentBackend = (request: Request) => Response | Promise<Response>;

/** What the app asked for. */
export interface AppRequest {
  url: string;
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
  headers?: Record<string, string>;
  body?: string;
}

/** What the app gets back. */
export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const DROPPED_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'upgrade', 'keep-alive', 'proxy-authorization', 'te', 'trailer', 'referer', 'cookie', 'origin']);
const PASSED_RESPONSE_HEADERS = new Set(['content-type', 'content-language', 'cache-control', 'etag', 'last-modified', 'location', 'retry-after', 'x-request-id']);
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True for addresses an app may never reach: anything but public unicast. */
export function isBlockedAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return true;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() !== 'unicast';
}

/** Does the URL's host (and port) appear in the manifest's `network_domains`? */
function allowedHost(url: URL, domains: readonly string[]): boolean {
  return domains.some((d) => d.toLowerCase() === url.host.toLowerCase() || (url.port === '' && d.toLowerCase() === url.hostname.toLowerCase()));
}

/** Performs mini-app network requests under the policy above. */
export class AppNetwork {
  readonly #o: Required<Omit<AppNetworkOptions, 'resolve'>>;
  readonly #resolve: (hostname: string) => Promise<LookupAddress[]>;
  readonly #inFlight = new Map<string, number>();
  readonly #agent: Agent;
  readonly #localAgent: Agent;
  readonly #devHosts = new Map<string, DevelopmentBackend>();

  constructor(options: AppNetworkOptions = {}) {
    this.#o = {
      maxConcurrentPerSession: options.maxConcurrentPerSession ?? 10,
      timeoutMs: options.timeoutMs ?? 60_000,
      maxResponseBytes: options.maxResponseBytes ?? 8 * 1024 * 1024,
      maxRequestBytes: options.maxRequestBytes ?? 1024 * 1024,
      maxRedirects: options.maxRedirects ?? 5,
      allowLocalForDevelopment: options.allowLocalForDevelopment ?? false,
    };
    this.#resolve = options.resolve ?? ((hostname) => new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (e, a) => (e ? reject(e) : resolve(a)))));
    const guarded: LookupFunction = (hostname, opts, callback) => {
      this.#resolve(hostname).then(
        (addresses) => {
          const blocked = addresses.length === 0 || addresses.some((a) => isBlockedAddress(a.address));
          if (blocked) {
            const error = Object.assign(new Error(`${hostname} resolves to an address apps may not reach`), { code: 'ATRIUM_ADDRESS_BLOCKED' });
            return (callback as (e: Error) => void)(error);
          }
          if (opts.all) (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
          else (callback as (e: null, a: string, f: number) => void)(null, addresses[0]!.address, addresses[0]!.family);
        },
        (error: Error) => (callback as (e: Error) => void)(error),
      );
    };
    this.#agent = new Agent({ connect: { lookup: guarded }, connections: 64 });
    this.#localAgent = new Agent({ connections: 16 });
  }

  /** Runs one request for `session`, following at most `maxRedirects` allowed redirects. */
  async request(session: string, domains: readonly string[], input: AppRequest): Promise<AppResponse> {
    const inFlight = this.#inFlight.get(session) ?? 0;
    if (inFlight >= this.#o.maxConcurrentPerSession) {
      throw new AtriumError({ code: 'NETWORK_TOO_MANY_REQUESTS', detail: `At most ${this.#o.maxConcurrentPerSession} requests at once.` });
    }
    if (input.body !== undefined && Buffer.byteLength(input.body) > this.#o.maxRequestBytes) {
      throw new AtriumError({ code: 'NETWORK_REQUEST_TOO_LARGE', detail: `Request bodies are limited to ${this.#o.maxRequestBytes} bytes.` });
    }
    this.#inFlight.set(session, inFlight + 1);
    const signal = AbortSignal.timeout(this.#o.timeoutMs);
    try {
      let url = this.#check(input.url, domains);
      let method = input.method ?? 'GET';
      let body = input.body;
      for (let hop = 0; ; hop++) {
        const response = await this.#send(url, method, input.headers ?? {}, body, signal);
        if (response.status >= 300 && response.status < 400 && response.headers.location) {
          if (hop >= this.#o.maxRedirects) throw new AtriumError({ code: 'NETWORK_FAILED', detail: 'Too many redirects.' });
          url = this.#check(new URL(response.headers.location, url).href, domains);
          if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
            method = 'GET';
            body = undefined;
          }
          continue;
        }
        return response;
      }
    } catch (cause) {
      if (cause instanceof AtriumError) throw cause;
      if (signal.aborted) throw new AtriumError({ code: 'NETWORK_TIMEOUT', detail: `No answer within ${this.#o.timeoutMs} ms.`, cause });
      if (hasCode(cause, 'ATRIUM_ADDRESS_BLOCKED')) throw new AtriumError({ code: 'NETWORK_ADDRESS_BLOCKED', cause });
      throw new AtriumError({ code: 'NETWORK_FAILED', detail: 'The request could not be completed.', cause });
    } finally {
      const left = (this.#inFlight.get(session) ?? 1) - 1;
      if (left > 0) this.#inFlight.set(session, left);
      else this.#inFlight.delete(session);
    }
  }

  /**
   * Development mode: requests for `hostname` (a reserved `.test` name, RFC 2606, which public DNS never
   * resolves) are answered by `backend` in-process instead of over the network — the way a sample's own
   * backend runs next to the development host. Every other rule (https, manifest domains, sizes) still applies.
   */
  mapDevelopmentHost(hostname: string, backend: DevelopmentBackend): void {
    if (!hostname.endsWith('.test')) throw new Error(`development hosts must end in .test (RFC 2606), got ${hostname}`);
    this.#devHosts.set(hostname.toLowerCase(), backend);
  }

  /** The in-process backend mapped for `hostname` with {@link mapDevelopmentHost}, if any (webhooks use it too). */
  developmentBackend(hostname: string): DevelopmentBackend | undefined {
    return this.#devHosts.get(hostname.toLowerCase());
  }

  /** Closes pooled connections. */
  async close(): Promise<void> {
    await Promise.all([this.#agent.close(), this.#localAgent.close()]);
  }

  #check(raw: string, domains: readonly string[]): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch (cause) {
      throw new AtriumError({ code: 'NETWORK_DOMAIN_NOT_ALLOWED', detail: 'Not a URL.', cause });
    }
    if (url.username || url.password) throw new AtriumError({ code: 'NETWORK_DOMAIN_NOT_ALLOWED', detail: 'URLs may not carry credentials.' });
    const local = this.#o.allowLocalForDevelopment && url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname);
    if (url.protocol !== 'https:' && !local) throw new AtriumError({ code: 'NETWORK_INSECURE', detail: 'Only https URLs are allowed.' });
    if (!allowedHost(url, domains)) throw new AtriumError({ code: 'NETWORK_DOMAIN_NOT_ALLOWED', detail: `${url.host} is not in the app's network_domains.` });
    if (!local && ipaddr.isValid(url.hostname.replace(/^\[|\]$/g, '')) && isBlockedAddress(url.hostname.replace(/^\[|\]$/g, ''))) {
      throw new AtriumError({ code: 'NETWORK_ADDRESS_BLOCKED' });
    }
    return url;
  }

  async #send(url: URL, method: string, headers: Record<string, string>, body: string | undefined, signal: AbortSignal): Promise<AppResponse> {
    const outgoing: Record<string, string> = { 'user-agent': 'Atrium-MiniApp/1' };
    for (const [name, value] of Object.entries(headers)) if (!DROPPED_HEADERS.has(name.toLowerCase())) outgoing[name.toLowerCase()] = value;
    const backend = url.protocol === 'https:' ? this.#devHosts.get(url.hostname.toLowerCase()) : undefined;
    if (backend) return this.#sendToDevelopmentBackend(backend, url, method, outgoing, body, signal);
    const local = url.protocol === 'http:';
    const response = await undiciRequest(url, {
      method: method as 'GET',
      headers: outgoing,
      body,
      signal,
      dispatcher: local ? this.#localAgent : this.#agent,
      maxRedirections: 0,
    } as Parameters<typeof undiciRequest>[1]);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > this.#o.maxResponseBytes) {
        response.body.destroy();
        throw new AtriumError({ code: 'NETWORK_RESPONSE_TOO_LARGE', detail: `Responses are limited to ${this.#o.maxResponseBytes} bytes.` });
      }
      chunks.push(chunk as Buffer);
    }
    const passed: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (PASSED_RESPONSE_HEADERS.has(name) && value !== undefined) passed[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { status: response.statusCode, headers: passed, body: Buffer.concat(chunks).toString('utf8') };
  }

  async #sendToDevelopmentBackend(backend: DevelopmentBackend, url: URL, method: string, headers: Record<string, string>, body: string | undefined, signal: AbortSignal): Promise<AppResponse> {
    const response = await backend(new Request(url, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body, signal }));
    const text = await response.text();
    if (Buffer.byteLength(text) > this.#o.maxResponseBytes) {
      throw new AtriumError({ code: 'NETWORK_RESPONSE_TOO_LARGE', detail: `Responses are limited to ${this.#o.maxResponseBytes} bytes.` });
    }
    const passed: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (PASSED_RESPONSE_HEADERS.has(name)) passed[name] = value;
    });
    return { status: response.status, headers: passed, body: text };
  }
}

function hasCode(error: unknown, code: string): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) if ((e as { code?: unknown }).code === code) return true;
  return false;
}
