/**
 * @module The identity domain's request and response shapes at the HTTP edge (zod, documented in OpenAPI).
 */
import { z } from '@hono/zod-openapi';

/** 3–32 of a–z, 0–9, `_` and `.`; any case is accepted and stored lowercase. */
export const HandleSchema = z
  .string()
  .min(3)
  .max(32)
  .regex(/^[A-Za-z0-9_.]+$/, 'Use 3–32 letters, digits, "_" or "."')
  .openapi({ example: 'ada.l' });

/** Text people see: no control or invisible formatting characters (e.g. U+202E), newlines only if `multiline`. */
export function plainText(options: { min: number; max: number; multiline?: boolean }): z.ZodString {
  // The pattern is given to OpenAPI as a string too: the generator would otherwise leak the `/u` flag into it.
  const pattern = options.multiline ? '^(?:[^\\p{Cc}\\p{Cf}]|\\n)*$' : '^[^\\p{Cc}\\p{Cf}]*$';
  return z
    .string()
    .trim()
    .min(options.min)
    .max(options.max)
    .regex(new RegExp(pattern, 'u'), options.multiline ? 'No control or invisible formatting characters except newlines' : 'No control or invisible formatting characters')
    .openapi({ pattern });
}

/** Visible name: 1–64 characters, trimmed, no control characters. */
export const DisplayNameSchema = plainText({ min: 1, max: 64 }).openapi({ example: 'Ada Lovelace' });

export const PasswordSchema = z.string().min(8, 'At least 8 characters').max(256);

/** A phone number in international form; normalized to E.164. */
export const PhoneSchema = z.string().min(4).max(32).openapi({ example: '+39 06 1234 5678' });

export const LocaleSchema = z.enum(['en', 'zh-CN', 'it', 'th']).openapi({ description: 'The shell language' });

export const DeviceNameSchema = plainText({ min: 1, max: 64 });

export const IdSchema = z.string().min(1).max(64).regex(/^[a-z]+_[0-9a-z]+$/, 'Not an id');

export const MeSchema = z
  .object({
    id: z.string(),
    handle: z.string(),
    displayName: z.string(),
    phone: z.string().nullable().openapi({ description: 'E.164; only ever shown to its owner' }),
    locale: z.string().nullable(),
    createdAt: z.number().int(),
  })
  .openapi('Me');

export const PersonSchema = z.object({ id: z.string(), handle: z.string(), displayName: z.string() }).openapi('Person');

export const DeviceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    method: z.string().openapi({ description: '`signup`, `password` or `qr`' }),
    createdAt: z.number().int(),
    lastSeenAt: z.number().int(),
    current: z.boolean(),
  })
  .openapi('Device');

export const SessionSchema = z
  .object({
    user: MeSchema,
    device: DeviceSchema,
    accessToken: z.string(),
    accessTokenExpiresAt: z.number().int(),
    refreshToken: z.string().optional().openapi({ description: 'Absent when delivered as an HttpOnly cookie' }),
    refreshTokenExpiresAt: z.number().int(),
  })
  .openapi('Session');

export const SignUpBody = z
  .strictObject({
    handle: HandleSchema,
    displayName: DisplayNameSchema,
    password: PasswordSchema,
    phone: PhoneSchema.optional(),
    locale: LocaleSchema.optional(),
    deviceName: DeviceNameSchema.optional(),
  })
  .openapi('SignUp');

export const SignInBody = z
  .strictObject({ handle: HandleSchema, password: z.string().min(1).max(256), deviceName: DeviceNameSchema.optional() })
  .openapi('SignIn');

export const RefreshBody = z.strictObject({ refreshToken: z.string().min(1).max(256).optional() }).openapi('Refresh');

export const ChangePasswordBody = z.strictObject({ currentPassword: z.string().min(1).max(256), newPassword: PasswordSchema }).openapi('ChangePassword');

export const UpdateMeBody = z
  .strictObject({ displayName: DisplayNameSchema.optional(), phone: PhoneSchema.nullable().optional(), locale: LocaleSchema.nullable().optional() })
  .openapi('UpdateMe');

export const RenameDeviceBody = z.strictObject({ name: DeviceNameSchema }).openapi('RenameDevice');

export const NewTicketSchema = z
  .object({ ticketId: z.string(), secret: z.string(), url: z.string(), expiresAt: z.number().int() })
  .openapi('LoginTicket');

export const TicketViewSchema = z
  .object({
    ticketId: z.string(),
    status: z.enum(['pending', 'scanned', 'confirmed', 'cancelled', 'expired']),
    requester: z.object({ deviceName: z.string(), userAgent: z.string() }),
    createdAt: z.number().int(),
    expiresAt: z.number().int(),
  })
  .openapi('LoginTicketView');

export const TicketWaitBody = z.strictObject({ secret: z.string().min(1).max(128) }).openapi('LoginTicketWait');

export const TicketWaitSchema = z
  .object({
    status: z.enum(['pending', 'scanned', 'confirmed']),
    expiresAt: z.number().int().optional(),
    session: SessionSchema.optional(),
  })
  .openapi('LoginTicketState');

export const TicketParams = z.object({ ticketId: IdSchema.openapi({ param: { name: 'ticketId', in: 'path' } }) });
export const DeviceParams = z.object({ deviceId: IdSchema.openapi({ param: { name: 'deviceId', in: 'path' } }) });

export const CardSchema = z.object({ cardCode: z.string(), url: z.string() }).openapi('Card');
export const CardParams = z.object({
  cardCode: z.string().min(4).max(64).regex(/^[0-9a-z]+$/, 'Not a card code').openapi({ param: { name: 'cardCode', in: 'path' } }),
});
