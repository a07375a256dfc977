/**
 * @module What every request carries in its context (`c.get(...)`), typed once for the whole host.
 */
import type { Logger } from 'pino';
import type { HostConfig } from '../config.ts';
import type { Caller } from '../identity/service.ts';

declare module 'hono' {
  interface ContextVariableMap {
    requestId: string;
    logger: Logger;
    config: HostConfig;
    caller: Caller;
  }
}
