import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import pino from 'pino';
import { CODES } from '../../../host/src/core/codes.ts';
import { systemRandom } from '../../../host/src/core/random.ts';
import { onError } from '../../../host/src/http/error-handler.ts';
import { requestContext } from '../../../host/src/http/middleware/request-context.ts';
import { expectProblem, startTestHost, testConfig, TEST_PASSWORD, type TestHost, type TestResponse } from '../../helpers/host.ts';

const SANE_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** The request id a problem's `instance` names. */
function instanceId(problem: { instance: string }): string {
  const match = /^urn:atrium:request:(.+)$/.exec(problem.instance);
  assert.ok(match, problem.instance);
  return match[1] ?? '';
}

/** A sample of responses of every kind: success, problem, docs, system. */
async function sampleResponses(t: TestHost): Promise<Array<[string, TestResponse]>> {
  const ada = await t.signUp('ada');
  return [
    ['GET /healthz', await t.call('GET', '/healthz')],
    ['GET /readyz', await t.call('GET', '/readyz')],
    ['GET /openapi.json', await t.call('GET', '/openapi.json')],
    ['GET /docs', await t.call('GET', '/docs')],
    ['GET /docs/problems', await t.call('GET', '/docs/problems')],
    ['GET /.well-known/jwks.json', await t.call('GET', '/.well-known/jwks.json')],
    ['GET /v1/me', await t.call('GET', '/v1/me', { token: ada.accessToken })],
    ['GET /v1/me without token', await t.call('GET', '/v1/me')],
    ['GET /nope', await t.call('GET', '/nope')],
    ['POST /v1/auth/signin malformed', await t.call('POST', '/v1/auth/signin', { body: '{"a":', headers: { 'content-type': 'application/json' } })],
    ['POST /v1/auth/signin {}', await t.call('POST', '/v1/auth/signin', { json: {} })],
    ['DELETE /v1/devices/{unknown}', await t.call('DELETE', '/v1/devices/dev_000000000000', { token: ada.accessToken })],
  ];
}

describe('http core: errors', () => {
  it('answers an unknown path with a 404 NOT_FOUND problem', async () => {
    await using t = await startTestHost();
    for (const path of ['/nope', '/v1', '/v1/nothing-here', '/docs/assets/not-an-asset.js', '/docs/assets/..%2Fpackage.json']) {
      const problem = expectProblem(await t.call('GET', path), 404, 'NOT_FOUND');
      assert.equal(problem.type, `${t.config.publicUrl}/docs/problems#NOT_FOUND`);
      assert.equal(problem.title, CODES.NOT_FOUND.title);
      assert.equal(problem.status, 404);
    }
  });

  it('never leaks the message of an unknown error: it becomes a 500 INTERNAL problem, logged with its cause', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const app = new Hono();
    app.onError(onError);
    app.use(requestContext({ logger: pino({ level: 'info' }, sink), config: testConfig(), random: systemRandom }));
    app.get('/boom', () => {
      throw new Error('SELECT secret FROM users');
    });

    const res = await app.request('/boom', { headers: { 'x-request-id': 'boom-request-1' } });
    assert.equal(res.status, 500);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    const text = await res.text();
    assert.doesNotMatch(text, /SELECT|secret|users/);
    assert.doesNotMatch(text, /\bat\s+\S+:\d+/, 'no stack trace');
    const problem = JSON.parse(text);
    assert.deepEqual(problem, {
      type: 'http://atrium.test/docs/problems#INTERNAL',
      title: CODES.INTERNAL.title,
      status: 500,
      instance: 'urn:atrium:request:boom-request-1',
      code: 'INTERNAL',
    });
    assert.equal(res.headers.get('x-request-id'), 'boom-request-1');
    const logged = lines.map((line) => JSON.parse(line)).find((entry) => entry.code === 'INTERNAL');
    assert.ok(logged, `the failure is logged: ${lines.join('')}`);
    assert.equal(logged.reqId, 'boom-request-1');
    assert.match(JSON.stringify(logged.err), /SELECT secret FROM users/, 'the log keeps the cause for the operator');
  });

  it('answers a body over bodyLimitBytes with 413 PAYLOAD_TOO_LARGE, and accepts one under it', async () => {
    await using t = await startTestHost({ bodyLimitBytes: 1024 });
    const big = JSON.stringify({ handle: 'ada', displayName: 'x'.repeat(2000), password: TEST_PASSWORD });
    const tooLarge = await t.call('POST', '/v1/auth/signup', { body: big, headers: { 'content-type': 'application/json' } });
    const problem = expectProblem(tooLarge, 413, 'PAYLOAD_TOO_LARGE');
    assert.match(problem.detail, /1024 bytes/);
    assert.equal(instanceId(problem), tooLarge.headers.get('x-request-id'));
    const declared = await t.call('POST', '/v1/auth/signup', { body: big, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(big)) } });
    expectProblem(declared, 413, 'PAYLOAD_TOO_LARGE');
    expectProblem(await t.call('POST', '/nope', { body: big, headers: { 'content-type': 'application/json' } }), 413, 'PAYLOAD_TOO_LARGE');
    assert.equal((await t.call('POST', '/v1/auth/signup', { json: { handle: 'ada', displayName: 'Ada', password: TEST_PASSWORD } })).status, 201);
  });
});

describe('http core: body limit over a real socket', () => {
  async function chunked(url: string, parts: string[]): Promise<{ status: number; body: { code?: string } }> {
    const { request } = await import('node:http');
    return new Promise((resolve, reject) => {
      const req = request(`${url}/v1/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as { code?: string } }));
      });
      req.on('error', reject);
      for (const part of parts) req.write(part);
      req.end();
    });
  }

  it('judges a declared length by its header and counts a chunked body as it streams', async () => {
    const { serveTestHost } = await import('../../helpers/browser.ts');
    await using served = await serveTestHost({ bodyLimitBytes: 1024 });
    const big = JSON.stringify({ handle: 'ada', displayName: 'x'.repeat(2000), password: TEST_PASSWORD });
    const post = (body: string): Promise<Response> => fetch(`${served.url}/v1/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const declared = await post(big);
    assert.equal(declared.status, 413);
    assert.equal(((await declared.json()) as { code: string }).code, 'PAYLOAD_TOO_LARGE');
    const streamed = await chunked(served.url, [big.slice(0, 900), big.slice(900)]);
    assert.deepEqual([streamed.status, streamed.body.code], [413, 'PAYLOAD_TOO_LARGE']);
    // Under the limit, both ways reach the handler with the whole body.
    const small = await post(JSON.stringify({ handle: 'ada', displayName: 'Ada', password: TEST_PASSWORD }));
    assert.equal(small.status, 201);
    const json = JSON.stringify({ handle: 'grace', displayName: 'Grace', password: TEST_PASSWORD });
    assert.equal((await chunked(served.url, [json.slice(0, 10), json.slice(10)])).status, 201);
  });
});

describe('http core: request ids', () => {
  it('puts a sane X-Request-Id on every response, unique per request', async () => {
    await using t = await startTestHost();
    const seen = new Set<string>();
    for (const [name, res] of await sampleResponses(t)) {
      const id = res.headers.get('x-request-id');
      assert.ok(id && SANE_ID.test(id), `${name}: ${id}`);
      assert.ok(!seen.has(id), `${name}: ${id} repeats`);
      seen.add(id);
      if (res.status >= 400) assert.equal(instanceId(res.body), id, `${name}: the problem instance names the request`);
    }
  });

  it('echoes a sane incoming X-Request-Id, in the header and in the problem instance', async () => {
    await using t = await startTestHost();
    const ok = await t.call('GET', '/healthz', { headers: { 'x-request-id': 'abcd1234-xyz' } });
    assert.equal(ok.headers.get('x-request-id'), 'abcd1234-xyz');
    const problem = await t.call('GET', '/nope', { headers: { 'x-request-id': 'abcd1234-xyz' } });
    assert.equal(problem.headers.get('x-request-id'), 'abcd1234-xyz');
    assert.equal(expectProblem(problem, 404, 'NOT_FOUND').instance, 'urn:atrium:request:abcd1234-xyz');
  });

  it('replaces an insane incoming X-Request-Id', async () => {
    await using t = await startTestHost();
    for (const insane of ['<script>', '<script>alert(1)</script>', 'short', 'x'.repeat(65), 'has space in it', 'new\\line"quote']) {
      const res = await t.call('GET', '/nope', { headers: { 'x-request-id': insane } });
      const id = res.headers.get('x-request-id') ?? '';
      assert.notEqual(id, insane);
      assert.match(id, SANE_ID, `${insane} → ${id}`);
      assert.equal(instanceId(res.body), id);
      assert.ok(!res.text.includes('<script>'), 'the insane id is not reflected anywhere');
    }
  });
});

describe('http core: caching', () => {
  it('marks every /v1 response, data or problem, Cache-Control: no-store', async () => {
    await using t = await startTestHost();
    for (const [name, res] of await sampleResponses(t)) {
      if (!name.includes(' /v1/')) continue;
      assert.equal(res.headers.get('cache-control'), 'no-store', name);
    }
  });
});

describe('http core: health', () => {
  it('/healthz answers 200 {status: ok}', async () => {
    await using t = await startTestHost();
    const res = await t.call('GET', '/healthz');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(res.body, { status: 'ok' });
  });

  it('/readyz answers 200 while the database answers and 503 UNAVAILABLE once it is closed; closing twice is harmless', async () => {
    await using t = await startTestHost();
    const ready = await t.call('GET', '/readyz');
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body, { status: 'ok' });
    await t.database.close();
    await t.database.close();
    const down = expectProblem(await t.call('GET', '/readyz'), 503, 'UNAVAILABLE');
    assert.doesNotMatch(JSON.stringify(down), /sqlite|connection is not open/i);
    assert.deepEqual((await t.call('GET', '/healthz')).body, { status: 'ok' }, 'liveness does not depend on the database');
    // `await using` closes the database a third time, then removes its folder.
  });
});

describe('http core: documentation', () => {
  it('/openapi.json is OpenAPI 3.1 with the identity and contacts paths and a bearerAuth scheme', async () => {
    await using t = await startTestHost();
    const res = await t.call('GET', '/openapi.json');
    assert.equal(res.status, 200);
    const doc = res.body;
    assert.match(doc.openapi, /^3\.1\.\d+$/);
    assert.equal(doc.servers[0].url, t.config.publicUrl);
    const paths = Object.keys(doc.paths);
    for (const path of [
      '/v1/auth/signup',
      '/v1/auth/signin',
      '/v1/auth/refresh',
      '/v1/auth/signout',
      '/v1/auth/password',
      '/v1/auth/login-tickets',
      '/v1/auth/login-tickets/{ticketId}',
      '/v1/me',
      '/v1/me/card',
      '/v1/devices',
      '/v1/devices/{deviceId}',
      '/v1/people/by-card/{cardCode}',
      '/v1/contacts',
      '/v1/contacts/{userId}',
      '/v1/contacts/requests',
      '/v1/contacts/requests/{requestId}/accept',
      '/v1/contacts/blocks',
      '/v1/contacts/blocks/{userId}',
    ]) {
      assert.ok(paths.includes(path), `${path} is documented`);
    }
    assert.deepEqual(doc.components.securitySchemes.bearerAuth, { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    for (const [path, item] of Object.entries<Record<string, { security?: Array<Record<string, unknown>> }>>(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const requirement of op.security ?? []) {
          for (const scheme of Object.keys(requirement)) assert.ok(doc.components.securitySchemes[scheme], `${method} ${path} uses an undeclared scheme ${scheme}`);
        }
      }
    }
    assert.ok(doc.components.schemas.Problem, 'the problem document is described');
  });

  it('/docs serves HTML that loads only local assets, and the assets are served', async () => {
    await using t = await startTestHost();
    const res = await t.call('GET', '/docs');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const absolute = res.text.match(/(?:https?:)?\/\/[^\s"'<>)]+/g) ?? [];
    assert.deepEqual(absolute, [], 'no URLs to other hosts');
    const refs = [...res.text.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    assert.ok(refs.includes('/docs/assets/swagger-ui-bundle.js'), refs.join(', '));
    for (const ref of refs) {
      assert.match(ref, /^\/[^/]/, `${ref} is a local path`);
      const asset = await t.call('GET', ref);
      assert.equal(asset.status, 200, `${ref} is served`);
      assert.ok(asset.text.length > 0);
    }
    const bundle = await t.call('GET', '/docs/assets/swagger-ui-bundle.js');
    assert.match(bundle.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.ok(bundle.text.includes('SwaggerUIBundle'));
    const init = await t.call('GET', '/docs/init.js');
    assert.doesNotMatch(init.text, /https?:\/\//);
    assert.match(init.text, /'\/openapi\.json'/);
  });

  it('/docs/problems lists every code with an anchor that problem types point at', async () => {
    await using t = await startTestHost();
    const res = await t.call('GET', '/docs/problems');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    for (const [code, info] of Object.entries(CODES)) {
      assert.ok(res.text.includes(`id="${code}"`), `${code} has an anchor`);
      assert.match(res.text, new RegExp(`id="${code}"><td><code>${code}</code></td><td>${info.status}</td>`), `${code} shows its status`);
    }
    const problem = expectProblem(await t.call('GET', '/nope'), 404, 'NOT_FOUND');
    assert.equal(problem.type, `${t.config.publicUrl}/docs/problems#NOT_FOUND`);
  });
});

describe('http core: CORS', () => {
  it('is closed by default: no Access-Control-Allow-Origin, not even for a preflight', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const origin = { origin: 'https://evil.example' };
    for (const res of [
      await t.call('GET', '/v1/me', { token: ada.accessToken, headers: origin }),
      await t.call('GET', '/v1/me', { headers: origin }),
      await t.call('GET', '/healthz', { headers: origin }),
      await t.call('OPTIONS', '/v1/me', { headers: { ...origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } }),
      await t.call('OPTIONS', '/v1/auth/signin', { headers: { ...origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } }),
    ]) {
      assert.equal(res.headers.get('access-control-allow-origin'), null);
      assert.equal(res.headers.get('access-control-allow-credentials'), null);
    }
  });

  it('is open to a configured origin only, on success, errors and preflights', async () => {
    await using t = await startTestHost({ corsOrigins: ['https://app.example'] });
    const ada = await t.signUp('ada');
    const app = { origin: 'https://app.example' };

    const ok = await t.call('GET', '/v1/me', { token: ada.accessToken, headers: app });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.equal(ok.headers.get('access-control-allow-credentials'), 'true');
    assert.match(ok.headers.get('access-control-expose-headers') ?? '', /x-request-id/i);

    const refused = await t.call('GET', '/v1/me', { headers: app });
    expectProblem(refused, 401, 'UNAUTHENTICATED');
    assert.equal(refused.headers.get('access-control-allow-origin'), 'https://app.example', 'the browser may read the problem');

    const preflight = await t.call('OPTIONS', '/v1/contacts/requests', { headers: { ...app, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });
    assert.ok(preflight.status === 204 || preflight.status === 200, `preflight: ${preflight.status} ${preflight.text}`);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /authorization/i);

    const evil = { origin: 'https://evil.example' };
    assert.equal((await t.call('GET', '/v1/me', { token: ada.accessToken, headers: evil })).headers.get('access-control-allow-origin'), null);
    const evilPreflight = await t.call('OPTIONS', '/v1/me', { headers: { ...evil, 'access-control-request-method': 'GET' } });
    assert.equal(evilPreflight.headers.get('access-control-allow-origin'), null);
  });
});
