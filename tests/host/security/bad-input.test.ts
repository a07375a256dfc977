/**
 * Bad input never gets past the edge: driven by the live `/openapi.json`, every operation with a JSON body
 * refuses unknown fields, wrong types, malformed JSON and unbounded strings; every secured operation refuses a
 * call without a token. Every refusal is a clean problem+json document.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { expectProblem, startTestHost, TEST_PASSWORD, type TestHost, type TestResponse, type TestSession } from '../../helpers/host.ts';

interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  maxLength?: number;
  enum?: unknown[];
  pattern?: string;
}

interface Operation {
  security?: unknown[];
  requestBody?: { content?: Record<string, { schema: JsonSchema }> };
  parameters?: Array<{ name: string; in: string; schema: JsonSchema }>;
  responses?: Record<string, unknown>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
}

/** What each test starts from: ada (signed in), bob's card code, and a fresh login ticket. */
interface Ctx {
  t: TestHost;
  ada: TestSession;
  bobCard: string;
  ticket: { ticketId: string; secret: string };
  /** ada's merchant, an API key for it (for `merchantKey` routes) and an unpaid order `T-0001`. */
  merchantId: string;
  merchantSecret: string;
  orderId: string;
  /** ada and bob are contacts, in a group ada owns, where bob said hello and ada uploaded an image. */
  chat: { bobId: string; groupId: string; messageId: string; imageId: string };
}

interface BodyEntry {
  /** Values for the path parameters. */
  params?: (ctx: Ctx) => Record<string, string>;
  /** Bodies the host accepts; together they must give every string field of the schema a value. */
  bodies: (ctx: Ctx) => Array<Record<string, unknown>>;
}

/** A valid body per operation with a JSON body. A new operation without an entry fails the completeness test. */
const VALID_BODIES: Record<string, BodyEntry> = {
  'POST /v1/auth/signup': {
    bodies: () => [{ handle: 'newbie', displayName: 'New Person', password: TEST_PASSWORD, phone: '+39 06 6982 9999', locale: 'it', deviceName: 'My phone' }],
  },
  'POST /v1/auth/signin': { bodies: () => [{ handle: 'ada', password: TEST_PASSWORD, deviceName: 'Laptop' }] },
  'POST /v1/auth/refresh': { bodies: (ctx) => [{ refreshToken: ctx.ada.refreshToken }] },
  'POST /v1/auth/password': { bodies: () => [{ currentPassword: TEST_PASSWORD, newPassword: 'another good password' }] },
  'POST /v1/auth/login-tickets/{ticketId}/wait': { params: (ctx) => ({ ticketId: ctx.ticket.ticketId }), bodies: (ctx) => [{ secret: ctx.ticket.secret }] },
  'PATCH /v1/me': { bodies: () => [{ displayName: 'Ada L', phone: '+39 06 6982 1234', locale: 'en' }] },
  'PATCH /v1/devices/{deviceId}': { params: (ctx) => ({ deviceId: ctx.ada.deviceId }), bodies: () => [{ name: 'Work laptop' }] },
  'POST /v1/contacts/requests': {
    bodies: (ctx) => [
      { handle: 'bob', message: 'hi' },
      { cardCode: ctx.bobCard, message: 'hi' },
    ],
  },
  'POST /v1/apps/{appId}/launch-context': { params: () => ({ appId: 'dev.atrium.todo' }), bodies: () => [{ path: 'pages/index', query: { id: '1' } }] },
  'POST /v1/miniapp/code2session': { bodies: () => [{ appId: 'dev.atrium.todo', secret: 'as_not_the_secret', code: 'notacode' }] },
  'PUT /v1/wallet/pin': { bodies: () => [{ pin: '480915' }, { pin: '480916', currentPin: '480915' }] },
  'POST /v1/wallet/topups': { bodies: () => [{ amount: 1250, currency: 'CNY', card: { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' } }] },
  'POST /v1/wallet/withdrawals': { bodies: () => [{ amount: 100, currency: 'CNY', card: { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' }, pin: '480915' }] },
  'POST /v1/wallet/transfers': { bodies: () => [{ to: 'usr_0000000000', amount: 100, currency: 'CNY', note: 'lunch', pin: '480915' }] },
  'POST /v1/wallet/receive-code/resolve': { bodies: () => [{ code: 'rc0000000000000000' }] },
  'POST /v1/wallet/receive-code/pay': { bodies: () => [{ code: 'rc0000000000000000', amount: 100, currency: 'CNY', note: 'for the taxi', pin: '480915' }] },
  'POST /v1/merchants': { bodies: () => [{ name: 'Ada Noodles', qrName: 'ADA NOODLES', city: 'Beijing', countryCode: 'CN' }] },
  'POST /v1/merchants/{merchantId}/keys': { params: (ctx) => ({ merchantId: ctx.merchantId }), bodies: () => [{ name: 'server', scopes: ['orders:read'] }] },
  'PUT /v1/merchants/{merchantId}/webhook': { params: (ctx) => ({ merchantId: ctx.merchantId }), bodies: () => [{ url: 'https://shop.example/hooks' }] },
  'POST /v1/merchants/{merchantId}/orders/{orderId}/refunds': { params: (ctx) => ({ merchantId: ctx.merchantId, orderId: ctx.orderId }), bodies: () => [{ outRefundNo: 'RF-1', amount: 1, reason: 'cold' }] },
  'POST /v1/orders/scan': { bodies: () => [{ payload: '00020126650014br.gov.bcb.pix0119nubank@thalesog.com0220Gerado por Pix-Utils52040000530398654041.005802BR5914Thales Ogliari6009Sao Paulo62070503***63046069' }] },
  'POST /v1/orders/pay-merchant': { bodies: (ctx) => [{ merchantId: ctx.merchantId, amount: 100, currency: 'CNY', note: 'buns', pin: '480915' }] },
  'POST /v1/merchant-api/micropay': { bodies: () => [{ outTradeNo: 'P-000001', authCode: '139999999912345678', amount: 100, currency: 'CNY', description: 'Milk' }] },
  'POST /v1/wallet/payment-code/pending/{orderId}/confirm': { params: (ctx) => ({ orderId: ctx.orderId }), bodies: () => [{ pin: '480915' }] },
  'POST /v1/orders/{orderId}/pay': { params: (ctx) => ({ orderId: ctx.orderId }), bodies: () => [{ pin: '480915' }, { pin: '480915', payCurrency: 'THB', quotedAmount: 100 }] },
  'POST /v1/merchant-api/orders': { bodies: () => [{ outTradeNo: 'T-0002', amount: 100, currency: 'CNY', description: 'Noodles' }] },
  'POST /v1/merchant-api/orders/{outTradeNo}/prepay': { params: () => ({ outTradeNo: 'T-0001' }), bodies: () => [{ appId: 'dev.atrium.todo' }] },
  'POST /v1/merchant-api/orders/{outTradeNo}/refunds': { params: () => ({ outTradeNo: 'T-0001' }), bodies: () => [{ outRefundNo: 'R-1', amount: 1, reason: 'cold' }] },
  'POST /v1/developer': { bodies: () => [{ name: 'Ada Labs' }] },
  'POST /v1/developer/tokens': { bodies: () => [{ name: 'CI', scopes: ['apps:read'], ttlDays: 30 }] },
  'POST /v1/developer/device-authorizations': { bodies: () => [{ clientName: 'atrium CLI on laptop' }] },
  'POST /v1/developer/device-authorizations/token': { bodies: () => [{ device_code: 'adc_not_a_real_device_code' }] },
  'POST /v1/developer/device-authorizations/{userCode}/decision': { params: () => ({ userCode: 'BCDF-GHJK' }), bodies: () => [{ allow: true }] },
  'POST /v1/developer/apps': { bodies: () => [{ appId: 'dev.ada.shop', name: 'Shop', description: 'A shop', iconUrl: 'https://example.com/i.png', webhookUrl: 'https://example.com/hook' }] },
  'PATCH /v1/developer/apps/{appId}': { params: () => ({ appId: 'dev.ada.shop' }), bodies: () => [{ name: 'Shop', description: 'A shop', iconUrl: 'https://example.com/i.png', webhookUrl: 'https://example.com/hook' }] },
  'PUT /v1/developer/apps/{appId}/members/{handle}': { params: () => ({ appId: 'dev.ada.shop', handle: 'bob' }), bodies: () => [{ role: 'tester' }] },
  'POST /v1/developer/apps/{appId}/versions/{versionCode}/approve': { params: () => ({ appId: 'dev.ada.shop', versionCode: '1' }), bodies: () => [{ note: 'Looks good' }] },
  'POST /v1/developer/apps/{appId}/versions/{versionCode}/reject': { params: () => ({ appId: 'dev.ada.shop', versionCode: '1' }), bodies: () => [{ reason: 'Crashes' }] },
  'POST /v1/developer/apps/{appId}/release': { params: () => ({ appId: 'dev.ada.shop' }), bodies: () => [{ versionCode: 1, percent: 50 }] },
  'PATCH /v1/developer/apps/{appId}/release': { params: () => ({ appId: 'dev.ada.shop' }), bodies: () => [{ percent: 60, paused: false }] },
  'POST /v1/developer/apps/{appId}/rollback': { params: () => ({ appId: 'dev.ada.shop' }), bodies: () => [{ versionCode: 1 }] },
  'POST /v1/developer/apps/{appId}/scenes': { params: () => ({ appId: 'dev.ada.shop' }), bodies: () => [{ page: 'pages/index', query: { table: '12' } }] },
  'POST /v1/conversations': { bodies: (ctx) => [{ name: 'Book club', memberIds: [ctx.chat.bobId] }] },
  'POST /v1/conversations/direct': { bodies: (ctx) => [{ userId: ctx.chat.bobId }] },
  'PATCH /v1/conversations/{conversationId}': {
    params: (ctx) => ({ conversationId: ctx.chat.groupId }),
    bodies: () => [{ name: 'Readers', avatarUrl: 'https://example.com/a.png', announcement: 'Chapter 2 on Friday' }],
  },
  'PUT /v1/conversations/{conversationId}/settings': { params: (ctx) => ({ conversationId: ctx.chat.groupId }), bodies: () => [{ muted: true }] },
  'POST /v1/conversations/{conversationId}/members': { params: (ctx) => ({ conversationId: ctx.chat.groupId }), bodies: (ctx) => [{ userIds: [ctx.chat.bobId] }] },
  'PATCH /v1/conversations/{conversationId}/members/{userId}': { params: (ctx) => ({ conversationId: ctx.chat.groupId, userId: ctx.chat.bobId }), bodies: () => [{ role: 'admin' }] },
  'POST /v1/conversations/{conversationId}/invites': { params: (ctx) => ({ conversationId: ctx.chat.groupId }), bodies: () => [{ expiresInSeconds: 3600, maxUses: 10 }, {}] },
  'POST /v1/conversations/{conversationId}/messages': {
    params: (ctx) => ({ conversationId: ctx.chat.groupId }),
    bodies: (ctx) => [{ clientId: 'bad-input-0001', text: 'hello 👋', imageId: ctx.chat.imageId, mentions: { userIds: [ctx.chat.bobId] }, replyToId: ctx.chat.messageId }],
  },
  'POST /v1/conversations/{conversationId}/transfers': { params: (ctx) => ({ conversationId: ctx.chat.groupId }), bodies: () => [{ amount: 100, currency: 'CNY', note: 'lunch', pin: '480915' }] },
  'POST /v1/conversations/{conversationId}/red-packets': {
    params: (ctx) => ({ conversationId: ctx.chat.groupId }),
    bodies: () => [{ mode: 'random', total: 888, shares: 2, currency: 'CNY', note: 'Happy new year', pin: '480915' }, { mode: 'equal', total: 200, shares: 2, currency: 'CNY', pin: '480915' }],
  },
  'POST /v1/conversations/{conversationId}/read': { params: (ctx) => ({ conversationId: ctx.chat.groupId }), bodies: () => [{ order: 1 }] },
};

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

async function loadDocument(): Promise<OpenApiDocument> {
  await using t = await startTestHost();
  const res = await t.call('GET', '/openapi.json');
  assert.equal(res.status, 200);
  return res.body;
}

const DOC = await loadDocument();

const OPERATIONS = Object.entries(DOC.paths).flatMap(([path, item]) =>
  METHODS.filter((m) => item[m]).map((m) => ({ key: `${m.toUpperCase()} ${path}`, method: m.toUpperCase(), path, op: item[m] as Operation })),
);
const WITH_BODY = OPERATIONS.filter((o) => o.op.requestBody?.content?.['application/json']);
const SECURED = OPERATIONS.filter((o) => (o.op.security ?? []).length > 0);

function resolve(schema: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const target = DOC.components.schemas[name];
  assert.ok(target, `unresolved ${schema.$ref}`);
  return resolve(target);
}

/** Every property of an object schema (through `$ref`, `anyOf`, `oneOf`, `allOf`), with its schema. */
function properties(schema: JsonSchema): Array<[string, JsonSchema]> {
  const s = resolve(schema);
  const branches = [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])];
  return [...Object.entries(s.properties ?? {}).map(([name, p]): [string, JsonSchema] => [name, resolve(p)]), ...branches.flatMap(properties)];
}

const isStringSchema = (s: JsonSchema): boolean => (Array.isArray(s.type) ? s.type.includes('string') : s.type === 'string');

/** Fills `{param}`s; values not given are made to match the parameter's documented pattern. */
function fillPath(path: string, op: Operation, given: Record<string, string> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (given[name] !== undefined) return encodeURIComponent(given[name]);
    const pattern = op.parameters?.find((p) => p.name === name)?.schema.pattern;
    const value = ['zz_00000000000000', 'zz00000000000000', 'zz.zz00000000000', 'tok_0000000000000000', 'BCDF-GHJK'].find((v) => !pattern || new RegExp(pattern, 'u').test(v));
    assert.ok(value, `no sample value for {${name}} matching ${pattern}`);
    return value;
  });
}

async function makeCtx(): Promise<Ctx> {
  const t = await startTestHost({ longPollMs: 1 });
  const ada = await t.signUp('ada');
  const bob = await t.signUp('bob');
  const bobCard = (await t.call('GET', '/v1/me/card', { token: bob.accessToken })).body.cardCode;
  const ticket = (await t.call('POST', '/v1/auth/login-tickets')).body;
  const request = (await t.call('POST', '/v1/contacts/requests', { token: ada.accessToken, json: { handle: 'bob' } })).body;
  await t.call('POST', `/v1/contacts/requests/${request.id}/accept`, { token: bob.accessToken });
  const groupId = (await t.call('POST', '/v1/conversations', { token: ada.accessToken, json: { name: 'Club', memberIds: [bob.userId] } })).body.id;
  const hello = await t.call('POST', `/v1/conversations/${groupId}/messages`, { token: bob.accessToken, json: { clientId: 'bob-hello-0001', text: 'hello' } });
  assert.equal(hello.status, 201, hello.text);
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#08f' } }).png().toBuffer();
  const upload = await t.host.request(`/v1/conversations/${groupId}/images`, { method: 'POST', headers: { authorization: `Bearer ${ada.accessToken}`, 'content-type': 'image/png' }, body: png });
  assert.equal(upload.status, 201);
  const imageId = ((await upload.json()) as { id: string }).id;
  const merchant = (await t.call('POST', '/v1/merchants', { token: ada.accessToken, json: { name: 'Ada Noodles', city: 'Beijing', countryCode: 'CN' } })).body;
  const key = (await t.call('POST', `/v1/merchants/${merchant.id}/keys`, { token: ada.accessToken, json: { name: 'k', scopes: ['orders:read', 'orders:write', 'refunds:write'] } })).body;
  const order = (await t.call('POST', '/v1/merchant-api/orders', { headers: { authorization: `Bearer ${key.secret}` }, json: { outTradeNo: 'T-0001', amount: 100, currency: 'CNY', description: 'Noodles' } })).body;
  return { t, ada, bobCard, ticket, chat: { bobId: bob.userId, groupId, messageId: hello.body.message.id, imageId }, merchantId: merchant.id, merchantSecret: key.secret, orderId: order.id };
}

let idempotencyKeys = 0;

/** The credential a secured operation takes: ada's access token, or her merchant's API key. */
function tokenFor(ctx: Ctx, op: Operation): string | undefined {
  const security = (op.security ?? []) as Record<string, unknown>[];
  if (security.length === 0) return undefined;
  return security.some((s) => 'merchantKey' in s) ? ctx.merchantSecret : ctx.ada.accessToken;
}

/** Calls `key` (`METHOD /path`) as ada (when it is secured) with the given raw body. */
async function send(ctx: Ctx, key: string, init: { json?: unknown; body?: string; contentType?: string }): Promise<TestResponse> {
  const found = OPERATIONS.find((o) => o.key === key);
  assert.ok(found, key);
  const entry = VALID_BODIES[key];
  const path = fillPath(found.path, found.op, entry?.params?.(ctx));
  const token = tokenFor(ctx, found.op);
  // Every call carries a fresh Idempotency-Key, so money-moving routes get past it to the body's checks.
  const headers: Record<string, string> = { 'idempotency-key': `bad-input-${++idempotencyKeys}` };
  if (init.contentType) headers['content-type'] = init.contentType;
  return ctx.t.call(found.method, path, { token, json: init.json, body: init.body, headers });
}

/** A refusal must be a complete problem document that leaks nothing of the inside. */
function assertCleanProblem(res: TestResponse, status: number, code: string): any {
  const body = expectProblem(res, status, code);
  assert.equal(typeof body.type, 'string');
  assert.ok(body.type.endsWith(`/docs/problems#${code}`), body.type);
  assert.equal(typeof body.title, 'string');
  assert.ok(body.title.length > 0);
  assert.equal(body.status, res.status);
  assert.match(body.instance, /^urn:atrium:request:[A-Za-z0-9._-]+$/);
  assert.equal(res.headers.get('x-request-id'), body.instance.slice('urn:atrium:request:'.length));
  assert.doesNotMatch(res.text, /\bat\s+\S*[/\\]\S+:\d+/, 'no stack trace');
  assert.doesNotMatch(res.text, /node_modules|file:\/\/|\/work\/|\.ts:\d+/, 'no source paths');
  assert.doesNotMatch(res.text, /SELECT|sqlite/i, 'no SQL');
  return body;
}

function forEachBodyOperation(name: string, fn: (ctx: Ctx, key: string, entry: BodyEntry) => Promise<void>): void {
  for (const { key } of WITH_BODY) {
    it(`${key}: ${name}`, async () => {
      const entry = VALID_BODIES[key];
      assert.ok(entry, `${key} has no entry in VALID_BODIES`);
      const ctx = await makeCtx();
      await using _ = ctx.t;
      await fn(ctx, key, entry);
    });
  }
}

describe('security: bad input (driven by /openapi.json)', () => {
  it('finds the operations to test', () => {
    assert.ok(WITH_BODY.length >= 8, `only ${WITH_BODY.length} operations with a JSON body`);
    assert.ok(SECURED.length >= 20, `only ${SECURED.length} secured operations`);
  });

  it('has a valid body for every operation with a JSON body, giving every string field a value', () => {
    const keys = WITH_BODY.map((o) => o.key);
    assert.deepEqual(keys.filter((k) => !VALID_BODIES[k]), [], 'add these to VALID_BODIES in tests/host/security/bad-input.test.ts');
    assert.deepEqual(Object.keys(VALID_BODIES).filter((k) => !keys.includes(k)), [], 'VALID_BODIES lists operations /openapi.json does not');
    const sample: Ctx = { t: undefined as never, ada: { accessToken: 'a', refreshToken: 'r', userId: 'u', deviceId: 'd', handle: 'ada' }, bobCard: 'c', ticket: { ticketId: 't', secret: 's' }, chat: { bobId: 'usr_b', groupId: 'cnv_g', messageId: 'msg_m', imageId: 'img_i' }, merchantId: 'm', merchantSecret: 'k', orderId: 'o' };
    for (const { key, op } of WITH_BODY) {
      const schema = op.requestBody?.content?.['application/json']?.schema ?? {};
      const given = new Set((VALID_BODIES[key]?.bodies(sample) ?? []).flatMap((b) => Object.entries(b).filter(([, v]) => typeof v === 'string').map(([k]) => k)));
      const strings = properties(schema).filter(([, s]) => isStringSchema(s)).map(([name]) => name);
      assert.deepEqual([...new Set(strings)].filter((name) => !given.has(name)), [], `${key}: string fields without a value in VALID_BODIES`);
    }
  });

  it('documents a bound for every string field of every request body', () => {
    for (const { key, op } of WITH_BODY) {
      for (const [name, s] of properties(op.requestBody?.content?.['application/json']?.schema ?? {})) {
        if (!isStringSchema(s)) continue;
        assert.ok(s.maxLength !== undefined || s.enum !== undefined, `${key}: body.${name} has no maxLength`);
      }
    }
  });

  it('documents 400 for every operation with a JSON body and 401 for every secured one', () => {
    for (const { key, op } of WITH_BODY) assert.ok(op.responses?.['400'], `${key} does not document 400`);
    for (const { key, op } of SECURED) assert.ok(op.responses?.['401'], `${key} does not document 401`);
  });

  it(
    'documents string patterns that accept the values the host accepts',
    async () => {
      const ctx = await makeCtx();
      await using _ = ctx.t;
      for (const { key, op } of WITH_BODY) {
        const props = new Map(properties(op.requestBody?.content?.['application/json']?.schema ?? {}));
        for (const body of VALID_BODIES[key]?.bodies(ctx) ?? []) {
          for (const [name, value] of Object.entries(body)) {
            const pattern = props.get(name)?.pattern;
            if (pattern === undefined || typeof value !== 'string') continue;
            assert.match(value, new RegExp(pattern, 'u'), `${key}: body.${name} ${JSON.stringify(value)} against the documented /${pattern}/`);
          }
        }
      }
    },
  );

  describe('the valid bodies are valid (so the refusals below are about the one change)', () => {
    forEachBodyOperation('accepts each valid body', async (ctx, key, entry) => {
      for (const body of entry.bodies(ctx)) {
        const res = await send(ctx, key, { json: body });
        assert.ok(res.status < 400 || res.body?.code !== 'VALIDATION_FAILED', `${key} ${JSON.stringify(body)} → ${res.status} ${res.text}`);
        assert.ok(res.status < 500, `${key} → ${res.status} ${res.text}`);
      }
    });
  });

  describe('(a) unknown fields', () => {
    forEachBodyOperation('refuses an unknown field, naming it', async (ctx, key, entry) => {
      for (const body of entry.bodies(ctx)) {
        const problem = assertCleanProblem(await send(ctx, key, { json: { ...body, zzUnknown: 1 } }), 400, 'VALIDATION_FAILED');
        assert.ok(Array.isArray(problem.errors), JSON.stringify(problem));
        assert.ok(
          problem.errors.some((e: { path: string; message: string }) => e.path.includes('zzUnknown') && typeof e.message === 'string'),
          `${key}: ${JSON.stringify(problem.errors)}`,
        );
      }
      assertCleanProblem(await send(ctx, key, { json: { zzUnknown: 1 } }), 400, 'VALIDATION_FAILED');
    });
  });

  describe('(a) thousands of unknown fields', () => {
    const many = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, 1]));
    forEachBodyOperation('answers briefly, not with an error list that grows with the square of the keys', async (ctx, key, entry) => {
      for (const body of entry.bodies(ctx)) {
        const started = performance.now();
        const res = await send(ctx, key, { json: { ...body, ...many } });
        const problem = assertCleanProblem(res, 400, 'VALIDATION_FAILED');
        assert.ok(res.text.length < 64 * 1024, `a ${JSON.stringify(many).length}-byte body got a ${res.text.length}-byte answer`);
        assert.ok(performance.now() - started < 2000, `took ${Math.round(performance.now() - started)} ms`);
        assert.ok(problem.errors.some((e: { path: string }) => e.path === 'body.k0'), JSON.stringify(problem.errors.slice(0, 3)));
      }
    });
  });

  describe('(b) a body of the wrong type', () => {
    forEachBodyOperation('refuses [], "str", 42 and null', async (ctx, key) => {
      for (const json of [[], 'str', 42, null]) {
        const problem = assertCleanProblem(await send(ctx, key, { json }), 400, 'VALIDATION_FAILED');
        assert.ok(Array.isArray(problem.errors) && problem.errors.length > 0, `${key} ${JSON.stringify(json)}: ${JSON.stringify(problem)}`);
      }
    });
  });

  describe('(c) malformed JSON', () => {
    forEachBodyOperation('refuses {"a": with MALFORMED_JSON', async (ctx, key) => {
      for (const contentType of ['application/json', 'application/json; charset=utf-8']) {
        const problem = assertCleanProblem(await send(ctx, key, { body: '{"a":', contentType }), 400, 'MALFORMED_JSON');
        assert.doesNotMatch(JSON.stringify(problem), /Unexpected end|position \d/, 'the parser message is not echoed');
      }
    });
  });

  describe('(d) unbounded strings', () => {
    forEachBodyOperation('refuses a 10,000-character value in each string field', async (ctx, key, entry) => {
      for (const body of entry.bodies(ctx)) {
        for (const [name, value] of Object.entries(body)) {
          if (typeof value !== 'string') continue;
          const problem = assertCleanProblem(await send(ctx, key, { json: { ...body, [name]: 'a'.repeat(10_000) } }), 400, 'VALIDATION_FAILED');
          assert.ok(problem.errors.some((e: { path: string }) => e.path === `body.${name}`), `${key} body.${name}: ${JSON.stringify(problem.errors)}`);
          assert.ok(!JSON.stringify(problem).includes('a'.repeat(100)), 'the value is not echoed');
        }
      }
    });

    for (const { key, path, method, op } of OPERATIONS.filter((o) => o.path.includes('{'))) {
      it(`${key}: refuses a 10,000-character path parameter`, async () => {
        const ctx = await makeCtx();
        await using _ = ctx.t;
        const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
        for (const name of names) {
          const long = fillPath(path, op, { [name]: `zz_${'a'.repeat(10_000)}` });
          const token = tokenFor(ctx, op);
          const body = VALID_BODIES[key]?.bodies(ctx)[0];
          const problem = assertCleanProblem(await ctx.t.call(method, long, { token, json: body }), 400, 'VALIDATION_FAILED');
          assert.ok(problem.errors.some((e: { path: string }) => e.path === `path.${name}`), `${key}: ${JSON.stringify(problem.errors)}`);
        }
      });
    }
  });

  describe('a call without a valid bearer token', () => {
    for (const { key, method, path, op } of SECURED) {
      it(`${key}: refuses it with 401 UNAUTHENTICATED and WWW-Authenticate`, async () => {
        await using t = await startTestHost();
        const url = fillPath(path, op);
        for (const authorization of [undefined, 'Basic YWRhOnB3', 'Bearer', 'bearer']) {
          const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
          const res = await t.call(method, url, { headers });
          const problem = assertCleanProblem(res, 401, 'UNAUTHENTICATED');
          assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer\b/, `${key} with ${authorization}`);
          assert.ok(problem.detail, 'says how to authenticate');
        }
      });
    }
  });
});
