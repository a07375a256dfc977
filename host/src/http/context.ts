/**
 * @module What every request carries in its context (`c.get(...)`), typed once for the whole host.
 */
import type { Logger } from 'pino';
import type { HostConfig } from '../config.ts';
import type { Caller } from '../identity/service.ts';

declare module 'hono' {
  interface ContextVariableMap {
    requestId: string;
    /** The host's logger; use `requestLogger(c)` for lines that carry the request id. */
    rootLogger: Logger;
    /** Made by `requestLogger(c)` on first use. */
    requestLogger: Logger | undefined;
    config: HostConfig;
    caller: Caller;
  }
}
