/**
 * @module The HTTP edge of in-app payments: a merchant's owner binds the mini-apps that may take its payments
 * (`/v1/merchants/{merchantId}/apps`), and a merchant's server hands an order to one bound app as a prepay id
 * (`/v1/merchant-api/orders/{outTradeNo}/prepay`).
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { AppIdSchema } from '../apps/routes.ts';
import { AtriumError } from '../core/errors.ts';
import { createRouter, jsonBody, jsonResponse, problems } from '../http/router.ts';
import { IdSchema } from '../identity/api-schemas.ts';
import type { AppPayments } from './app-payments.ts';
import type { MerchantService } from './service.ts';
import { requireMerchantKey } from './routes.ts';

const LinkSchema = z
  .object({ merchantId: z.string(), appId: z.string(), linkedBy: z.string().nullable(), createdAt: z.number().int() })
  .openapi('MerchantAppLink');
const MerchantParams = z.object({ merchantId: IdSchema.openapi({ param: { name: 'merchantId', in: 'path' } }) });
const LinkParams = MerchantParams.extend({ appId: AppIdSchema.openapi({ param: { name: 'appId', in: 'path' } }) });
// keep in sync with OutTradeNo in ./routes.ts (WeChat Pay's format)
const TradeParams = z.object({ outTradeNo: z.string().min(6).max(32).regex(/^[0-9A-Za-z_\-|*]+$/).openapi({ param: { name: 'outTradeNo', in: 'path' } }) });
const bearer = [{ bearerAuth: [] }];

/** `/v1/merchants/{merchantId}/apps`: the mini-apps bound to a person's merchant. */
export function merchantAppRoutes(options: { payments: AppPayments; auth: MiddlewareHandler }): OpenAPIHono {
  const { payments, auth } = options;
  const router = createRouter();
  router.use(auth);

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{merchantId}/apps',
      tags: ['merchants'],
      summary: 'The mini-apps bound to my merchant (they may ask people to pay its orders)',
      security: bearer,
      request: { params: MerchantParams },
      responses: { 200: jsonResponse(z.object({ apps: z.array(LinkSchema) }), 'Bound apps'), ...problems(400, 401, 404) },
    }),
    async (c) => c.json({ apps: payments.links(c.get('caller').userId, c.req.valid('param').merchantId) }, 200),
  );

  router.openapi(
    createRoute({
      method: 'put',
      path: '/{merchantId}/apps/{appId}',
      tags: ['merchants'],
      summary: "Bind a mini-app I manage (owner or admin) to my merchant, so it can take payments with atrium.requestPayment (audited on the app)",
      security: bearer,
      request: { params: LinkParams },
      responses: { 200: jsonResponse(LinkSchema, 'Bound'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const { merchantId, appId } = c.req.valid('param');
      return c.json(await payments.link({ userId: c.get('caller').userId }, merchantId, appId), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'delete',
      path: '/{merchantId}/apps/{appId}',
      tags: ['merchants'],
      summary: 'Unbind a mini-app from my merchant: it can no longer take its payments (audited on the app)',
      security: bearer,
      request: { params: LinkParams },
      responses: { 204: { description: 'Unbound' }, ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const { merchantId, appId } = c.req.valid('param');
      await payments.unlink({ userId: c.get('caller').userId }, merchantId, appId);
      return c.body(null, 204);
    },
  );

  return router;
}

/** `/v1/merchant-api/orders/{outTradeNo}/prepay`: a merchant's server hands an order to a bound app. */
export function prepayRoutes(options: { payments: AppPayments; merchants: MerchantService }): OpenAPIHono {
  const { payments, merchants } = options;
  const router = createRouter();
  router.use('/orders/:outTradeNo/prepay', requireMerchantKey(merchants));

  router.openapi(
    createRoute({
      method: 'post',
      path: '/orders/{outTradeNo}/prepay',
      tags: ['merchant-api'],
      summary: 'A prepay id for an unpaid order, for one mini-app bound to this merchant to pass to atrium.requestPayment({ prepayId })',
      security: [{ merchantKey: [] }],
      request: { params: TradeParams, body: jsonBody(z.strictObject({ appId: AppIdSchema })) },
      responses: {
        200: jsonResponse(z.object({ prepayId: z.string(), orderId: z.string(), appId: z.string(), expiresAt: z.number().int() }).openapi('Prepay'), 'Prepay id (the same one when asked again)'),
        ...problems(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const caller = c.get('merchant');
      if (!caller.scopes.includes('orders:write')) throw new AtriumError({ code: 'MERCHANT_SCOPE_MISSING', detail: 'This key needs the orders:write scope.' });
      return c.json(await payments.prepay(caller.merchantId, c.req.valid('param').outTradeNo, c.req.valid('json').appId), 200);
    },
  );

  return router;
}
