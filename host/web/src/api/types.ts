/**
 * @module The API's shapes as the shell sees them, inferred from the host's own schemas and services
 * (type-only imports: nothing of the server is bundled).
 */
import type { z } from '@hono/zod-openapi';
import type { Block, Contact, ContactRequest } from '../../../src/contacts/service.ts';
import type { ErrorCode } from '../../../src/core/codes.ts';
import type {
  CardSchema,
  DeviceSchema,
  MeSchema,
  NewTicketSchema,
  PersonSchema,
  SessionSchema,
  TicketViewSchema,
  TicketWaitSchema,
} from '../../../src/identity/api-schemas.ts';

export type Me = z.infer<typeof MeSchema>;
export type Person = z.infer<typeof PersonSchema>;
export type Device = z.infer<typeof DeviceSchema>;
/** A signed-in session; in the shell `refreshToken` is absent (it lives in an HttpOnly cookie). */
export type Session = z.infer<typeof SessionSchema>;
export type Card = z.infer<typeof CardSchema>;
export type LoginTicket = z.infer<typeof NewTicketSchema>;
export type LoginTicketView = z.infer<typeof TicketViewSchema>;
export type LoginTicketState = z.infer<typeof TicketWaitSchema>;
export type { Block, Contact, ContactRequest, ErrorCode };

/** A located problem in a request (`body.handle`). */
export interface FieldError {
  path: string;
  message: string;
}

/** An RFC 9457 problem document as the host renders it. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  code?: string;
  errors?: FieldError[];
  retryAfter?: number;
  /** Wrong payment PIN: tries left before payments lock. */
  attemptsLeft?: number;
}

/** What `PATCH /v1/me` accepts. */
export interface MeUpdate {
  displayName?: string;
  phone?: string | null;
  locale?: string | null;
}
