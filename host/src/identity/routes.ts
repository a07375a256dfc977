/**
 * @module The identity domain's HTTP edge: `/v1/auth`, `/v1/me` and `/v1/devices`.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { AtriumError } from '../core/errors.ts';
import { clientAddress } from '../http/middleware/request-context.ts';
import { createRouter, jsonBody, jsonResponse, problems } from '../http/router.ts';
import {
  CardParams,
  CardSchema,
  ChangePasswordBody,
  DeviceParams,
  DeviceSchema,
  MeSchema,
  NewTicketSchema,
  PersonSchema,
  RefreshBody,
  RenameDeviceBody,
  SessionSchema,
  SignInBody,
  SignUpBody,
  TicketParams,
  TicketViewSchema,
  TicketWaitBody,
  TicketWaitSchema,
  UpdateMeBody,
} from './api-schemas.ts';
import type { LoginTicketService } from './login-tickets.ts';
import { clearSessionCookie, deliverSession, receivedRefreshToken } from './session-delivery.ts';
import type { ClientInfo, IdentityService } from './service.ts';

/** What the identity routes need. */
export interface IdentityRoutesOptions {
  identity: IdentityService;
  tickets: LoginTicketService;
  auth: MiddlewareHandler;
  /** Aborted when the host shuts down, so long polls end early. */
  stopping?: AbortSignal;
}

const bearer = [{ bearerAuth: [] }];
const SessionHeader = z.object({
  'x-atrium-session': z.enum(['cookie']).optional().openapi({ description: '`cookie`: deliver the refresh token as an HttpOnly cookie' }),
});

function client(c: Context, deviceName?: string): ClientInfo {
  return { userAgent: c.req.header('user-agent') ?? '', address: clientAddress(c), deviceName };
}

/** `/v1/auth`: sign up, sign in, refresh, sign out, password, scan-to-login tickets. */
export function authRoutes(options: IdentityRoutesOptions): OpenAPIHono {
  const { identity, tickets, auth, stopping } = options;
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'post',
      path: '/signup',
      tags: ['auth'],
      summary: 'Create an account and sign this device in',
      request: { headers: SessionHeader, body: jsonBody(SignUpBody) },
      responses: { 201: jsonResponse(SessionSchema, 'Signed up'), ...problems(400, 409, 429) },
    }),
    async (c) => {
      const { deviceName, ...input } = c.req.valid('json');
      const session = await identity.signUp(input, client(c, deviceName));
      return c.json(deliverSession(c, session), 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/signin',
      tags: ['auth'],
      summary: 'Sign in with handle and password',
      request: { headers: SessionHeader, body: jsonBody(SignInBody) },
      responses: { 200: jsonResponse(SessionSchema, 'Signed in'), ...problems(400, 401, 429) },
    }),
    async (c) => {
      const { handle, password, deviceName } = c.req.valid('json');
      const session = await identity.signIn({ handle, password }, client(c, deviceName));
      return c.json(deliverSession(c, session), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/refresh',
      tags: ['auth'],
      summary: 'Exchange a refresh token for new tokens (rotating; reuse signs the device out)',
      request: { headers: SessionHeader, body: jsonBody(RefreshBody) },
      responses: { 200: jsonResponse(SessionSchema, 'New tokens'), ...problems(400, 401) },
    }),
    async (c) => {
      const token = receivedRefreshToken(c, c.req.valid('json').refreshToken);
      if (!token) throw new AtriumError({ code: 'AUTH_REFRESH_INVALID', detail: 'No refresh token was sent.' });
      try {
        return c.json(deliverSession(c, await identity.refresh(token)), 200);
      } catch (error) {
        clearSessionCookie(c);
        throw error;
      }
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/signout',
      tags: ['auth'],
      summary: 'Sign this device out',
      security: bearer,
      middleware: [auth] as const,
      responses: { 204: { description: 'Signed out' }, ...problems(401) },
    }),
    async (c) => {
      await identity.signOut(c.get('caller'));
      clearSessionCookie(c);
      return c.body(null, 204);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/password',
      tags: ['auth'],
      summary: 'Change the password; every other device is signed out',
      security: bearer,
      middleware: [auth] as const,
      request: { body: jsonBody(ChangePasswordBody) },
      responses: { 200: jsonResponse(z.object({ revokedDevices: z.number().int() }), 'Changed'), ...problems(400, 401, 403, 429) },
    }),
    async (c) => {
      const { currentPassword, newPassword } = c.req.valid('json');
      return c.json(await identity.changePassword(c.get('caller'), currentPassword, newPassword), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/login-tickets',
      tags: ['scan-to-login'],
      summary: 'Start scan-to-login: a ticket for a signed-out browser to show as a QR code',
      responses: { 201: jsonResponse(NewTicketSchema, 'Ticket (the secret is shown only now)'), ...problems(429) },
    }),
    async (c) => c.json(await tickets.create(client(c)), 201),
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/login-tickets/{ticketId}/wait',
      tags: ['scan-to-login'],
      summary: 'Long poll (up to 25 s) for the ticket to be scanned or confirmed; confirmed returns the session, once',
      request: { headers: SessionHeader, params: TicketParams, body: jsonBody(TicketWaitBody) },
      responses: { 200: jsonResponse(TicketWaitSchema, 'Current state'), ...problems(400, 403, 404, 409, 410) },
    }),
    async (c) => {
      const { ticketId } = c.req.valid('param');
      const signal = stopping ? AbortSignal.any([c.req.raw.signal, stopping]) : c.req.raw.signal;
      const state = await tickets.wait(ticketId, c.req.valid('json').secret, c.get('config').longPollMs, signal);
      if (state.status === 'confirmed') return c.json({ status: state.status, session: deliverSession(c, state.session) }, 200);
      return c.json(state, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/login-tickets/{ticketId}',
      tags: ['scan-to-login'],
      summary: 'Scan: see which device asks to sign in (marks the ticket scanned)',
      security: bearer,
      middleware: [auth] as const,
      request: { params: TicketParams },
      responses: { 200: jsonResponse(TicketViewSchema, 'The ticket'), ...problems(401, 404, 409, 410) },
    }),
    async (c) => c.json(await tickets.view(c.get('caller'), c.req.valid('param').ticketId), 200),
  );

  for (const [verb, summary] of [
    ['confirm', 'Confirm: sign the waiting browser in as me'],
    ['cancel', 'Refuse the sign-in'],
  ] as const) {
    router.openapi(
      createRoute({
        method: 'post',
        path: `/login-tickets/{ticketId}/${verb}`,
        tags: ['scan-to-login'],
        summary,
        security: bearer,
        middleware: [auth] as const,
        request: { params: TicketParams },
        responses: { 204: { description: 'Done' }, ...problems(401, 404, 409, 410) },
      }),
      async (c) => {
        await tickets[verb](c.get('caller'), c.req.valid('param').ticketId);
        return c.body(null, 204);
      },
    );
  }

  return router;
}

/** `/v1/me`: the signed-in person's own account. */
export function meRoutes(options: Pick<IdentityRoutesOptions, 'identity' | 'auth'>): OpenAPIHono {
  const { identity, auth } = options;
  const router = createRouter();
  router.use(auth);

  router.openapi(
    createRoute({ method: 'get', path: '/', tags: ['me'], summary: 'My account', security: bearer, responses: { 200: jsonResponse(MeSchema, 'Me'), ...problems(401) } }),
    (c) => c.json(identity.me(c.get('caller').userId), 200),
  );

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/',
      tags: ['me'],
      summary: 'Change my display name, phone or language',
      security: bearer,
      request: { body: jsonBody(UpdateMeBody) },
      responses: { 200: jsonResponse(MeSchema, 'Updated'), ...problems(400, 401, 409) },
    }),
    async (c) => c.json(await identity.updateMe(c.get('caller').userId, c.req.valid('json')), 200),
  );

  const card = async (c: Context, code: Promise<string>) => c.json({ cardCode: await code, url: `${c.get('config').publicUrl}/c/${await code}` }, 200);

  router.openapi(
    createRoute({
      method: 'get',
      path: '/card',
      tags: ['me'],
      summary: 'My "add me" QR card: the code and the link it encodes',
      security: bearer,
      responses: { 200: jsonResponse(CardSchema, 'Card'), ...problems(401) },
    }),
    (c) => card(c, identity.card(c.get('caller').userId)),
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/card/reset',
      tags: ['me'],
      summary: 'Replace my card code; old QR cards stop working',
      security: bearer,
      responses: { 200: jsonResponse(CardSchema, 'New card'), ...problems(401) },
    }),
    (c) => card(c, identity.resetCard(c.get('caller').userId)),
  );

  return router;
}

/** `/v1/people`: find someone to add. */
export function peopleRoutes(options: Pick<IdentityRoutesOptions, 'identity' | 'auth'>): OpenAPIHono {
  const { identity, auth } = options;
  const router = createRouter();
  router.use(auth);
  router.openapi(
    createRoute({
      method: 'get',
      path: '/by-card/{cardCode}',
      tags: ['contacts'],
      summary: 'Who a scanned QR card belongs to',
      security: bearer,
      request: { params: CardParams },
      responses: { 200: jsonResponse(PersonSchema, 'The person'), ...problems(401, 404) },
    }),
    async (c) => {
      const person = await identity.personByCard(c.req.valid('param').cardCode);
      if (!person) throw new AtriumError({ code: 'CONTACT_USER_NOT_FOUND', detail: 'This QR card is not valid any more.' });
      return c.json(person, 200);
    },
  );
  return router;
}

/** `/v1/devices`: list, rename and revoke my devices. */
export function deviceRoutes(options: Pick<IdentityRoutesOptions, 'identity' | 'auth'>): OpenAPIHono {
  const { identity, auth } = options;
  const router = createRouter();
  router.use(auth);

  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['devices'],
      summary: 'My signed-in devices',
      security: bearer,
      responses: { 200: jsonResponse(z.object({ devices: z.array(DeviceSchema) }), 'Devices'), ...problems(401) },
    }),
    async (c) => c.json({ devices: await identity.listDevices(c.get('caller')) }, 200),
  );

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/{deviceId}',
      tags: ['devices'],
      summary: 'Rename a device',
      security: bearer,
      request: { params: DeviceParams, body: jsonBody(RenameDeviceBody) },
      responses: { 200: jsonResponse(DeviceSchema, 'Renamed'), ...problems(400, 401, 404) },
    }),
    async (c) => c.json(await identity.renameDevice(c.get('caller'), c.req.valid('param').deviceId, c.req.valid('json').name), 200),
  );

  router.openapi(
    createRoute({
      method: 'delete',
      path: '/{deviceId}',
      tags: ['devices'],
      summary: 'Sign a device out (its tokens stop working at once)',
      security: bearer,
      request: { params: DeviceParams },
      responses: { 204: { description: 'Revoked' }, ...problems(401, 404) },
    }),
    async (c) => {
      await identity.revokeDevice(c.get('caller'), c.req.valid('param').deviceId);
      return c.body(null, 204);
    },
  );

  return router;
}
