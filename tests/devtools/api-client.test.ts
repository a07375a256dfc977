/** @module The CLI's host client against a tiny local hono server: bearer auth, problem+json mapping, edge validation. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { z } from 'zod';
import { PackageError, readPackage, writePackage } from '../../devtools/src/build/package.ts';
import { createApiClient, tokenFor } from '../../devtools/src/core/api-client.ts';
import { writeUserConfig } from '../../devtools/src/core/config.ts';
import { formatError, type CliError } from '../../devtools/src/core/errors.ts';
import { tempDir } from './run-cli.ts';

const TOKEN = 'atk_test_0123456789';

/** A stand-in for the registry's upload route (PACKAGE.md), validating with the same readPackage. */
function fixture(): Hono {
  const app = new Hono();
  const problem = (status: number, code: string, detail: string, errors?: Array<{ path: string; message: string }>) =>
    new Response(JSON.stringify({ type: `about:blank#${code}`, title: code, status, code, detail, instance: 'urn:atrium:request:r1', ...(errors ? { errors } : {}) }), { status, headers: { 'content-type': 'application/problem+json' } });
  app.use('/v1/developer/*', async (c, next) => {
    if (c.req.header('authorization') !== `Bearer ${TOKEN}`) return problem(401, 'UNAUTHENTICATED', 'A developer API token is required');
    await next();
  });
  app.post('/v1/developer/apps/:appId/versions', async (c) => {
    if (c.req.header('content-type') !== 'application/zip') return problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the package as application/zip');
    try {
      const pkg = readPackage(new Uint8Array(await c.req.arrayBuffer()));
      return c.json({ app_id: pkg.manifest.app_id, version_code: pkg.manifest.version.code }, 201);
    } catch (error) {
      if (!(error instanceof PackageError)) throw error;
      return problem(400, error.code, 'The package was refused', error.problems.map((p) => ({ path: p.split(': ')[0]!, message: p.split(': ').slice(1).join(': ') })));
    }
  });
  app.get('/v1/developer/odd', (c) => c.json({ unexpected: true }));
  app.get('/v1/broken', () => new Response('<html>bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }));
  return app;
}

async function listen(app: Hono): Promise<{ url: string; server: ServerType } & AsyncDisposable> {
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, server, [Symbol.asyncDispose]: () => new Promise<void>((done) => server.close(() => done())) };
}

const Uploaded = z.object({ app_id: z.string(), version_code: z.number().int() });
const manifest = { app_id: 'com.example.up', name: 'Up', version: { name: '1.0.0', code: 2 }, pages: ['pages/index'] };

describe('api client', () => {
  it('uploads a package with the bearer token and validates the answer', async () => {
    await using host = await listen(fixture());
    const client = createApiClient({ host: host.url, token: TOKEN });
    const body = writePackage({ manifest, appJs: '(()=>{})();', assets: {} });
    const result = await client.request({ method: 'POST', path: '/v1/developer/apps/com.example.up/versions', body, contentType: 'application/zip', schema: Uploaded });
    assert.deepEqual(result, { app_id: 'com.example.up', version_code: 2 });
  });

  it('maps problem+json to its code with located errors and the request id', async () => {
    await using host = await listen(fixture());
    const client = createApiClient({ host: host.url, token: TOKEN });
    const bad = writePackage({ manifest: { ...manifest, pages: [] } as never, appJs: 'x', assets: {} });
    const error = await client.request({ method: 'POST', path: '/v1/developer/apps/com.example.up/versions', body: bad, contentType: 'application/zip' }).then(() => assert.fail('accepted'), (e: CliError) => e);
    assert.equal(error.code, 'PACKAGE_INVALID');
    assert.equal(error.exitCode, 1);
    assert.deepEqual(formatError(error).slice(0, 2), ['✘ ERROR PACKAGE_INVALID: The package was refused', '  manifest.json: pages: Too small: expected array to have >=1 items']);
    assert.ok(error.details.includes('request: urn:atrium:request:r1'));
  });

  it('says how to log in on a 401, never echoing the token', async () => {
    await using host = await listen(fixture());
    const client = createApiClient({ host: host.url, token: 'atk_wrong_secret' });
    const error = await client.request({ method: 'GET', path: '/v1/developer/odd' }).then(() => assert.fail('accepted'), (e: CliError) => e);
    assert.equal(error.code, 'UNAUTHENTICATED');
    assert.match(error.hint ?? '', new RegExp(`atrium login --host ${host.url}`));
    assert.ok(!formatError(error).join('\n').includes('atk_wrong_secret'));
  });

  it('refuses to call without a token, before any request', async () => {
    let called = false;
    const client = createApiClient({ host: 'http://127.0.0.1:1', token: undefined, fetch: async () => ((called = true), new Response()) });
    await assert.rejects(client.request({ method: 'GET', path: '/v1/developer/apps' }), (e: CliError) => e.code === 'NOT_LOGGED_IN' && /ATRIUM_TOKEN/.test(e.hint ?? ''));
    assert.equal(called, false);
  });

  it('reports an unexpected response shape, a non-problem error and an unreachable host', async () => {
    await using host = await listen(fixture());
    const client = createApiClient({ host: host.url, token: TOKEN });
    await assert.rejects(client.request({ method: 'GET', path: '/v1/developer/odd', schema: Uploaded }), (e: CliError) => e.code === 'HOST_RESPONSE_INVALID' && e.details[0] === 'app_id: Invalid input: expected string, received undefined');
    await assert.rejects(client.request({ method: 'GET', path: '/v1/broken', auth: false }), (e: CliError) => e.code === 'HTTP_502' && /host failed \(502\)/.test(e.hint ?? ''));
    const closed = await listen(new Hono());
    const url = closed.url;
    await closed[Symbol.asyncDispose]();
    await assert.rejects(createApiClient({ host: url, token: TOKEN }).request({ method: 'GET', path: '/v1/x' }), (e: CliError) => e.code === 'HOST_UNREACHABLE' && /ECONNREFUSED/.test(e.message) && /npm start/.test(e.hint ?? ''));
  });

  it('takes the token from ATRIUM_TOKEN, else from the user config for that host', async () => {
    await using dir = await tempDir();
    const env = { ATRIUM_CONFIG_DIR: join(dir.path, 'cfg') };
    await writeUserConfig(env, { hosts: { 'http://127.0.0.1:8080': { token: 'atk_stored' } } });
    assert.equal(tokenFor('http://127.0.0.1:8080', env), 'atk_stored');
    assert.equal(tokenFor('https://other.example.com', env), undefined);
    assert.equal(tokenFor('http://127.0.0.1:8080', { ...env, ATRIUM_TOKEN: 'atk_ci' }), 'atk_ci');
  });
});
