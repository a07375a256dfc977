import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { AppNetwork, isBlockedAddress } from '../../../host/src/apps/network.ts';
import { isAtriumError } from '../../../host/src/core/errors.ts';

describe('apps: network access for mini-apps', () => {
  let server: Server;
  let origin: string;
  let host: string;
  const seen: Array<Record<string, string | string[] | undefined>> = [];

  before(async () => {
    server = createServer((req, res) => {
      seen.push(req.headers);
      if (req.url === '/hello') return res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'a=b' }).end('{"hi":1}');
      if (req.url === '/to-evil') return res.writeHead(302, { location: 'https://evil.example/steal' }).end();
      if (req.url === '/to-hello') return res.writeHead(301, { location: '/hello' }).end();
      if (req.url === '/big') return res.writeHead(200).end('x'.repeat(5000));
      if (req.url === '/slow') return void setTimeout(() => res.writeHead(200).end('late'), 2000);
      res.writeHead(404).end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    origin = `http://${host}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const fails = (code: string) => (error: unknown) => isAtriumError(error) && error.code === code;

  it('blocks every address but public unicast, including IPv4-mapped IPv6', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fc00::1', 'fe80::1', '::ffff:10.0.0.1', '::ffff:127.0.0.1', '224.0.0.1', 'not-an-ip']) {
      assert.equal(isBlockedAddress(a), true, a);
    }
    for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111']) assert.equal(isBlockedAddress(a), false, a);
  });

  it('refuses plain http, hosts outside network_domains, credentials in URLs and literal private addresses', async () => {
    const net = new AppNetwork();
    try {
      await assert.rejects(net.request('s', [host], { url: `${origin}/hello` }), fails('NETWORK_INSECURE'));
      await assert.rejects(net.request('s', ['api.example.com'], { url: 'https://other.example.com/' }), fails('NETWORK_DOMAIN_NOT_ALLOWED'));
      await assert.rejects(net.request('s', ['api.example.com'], { url: 'https://u:p@api.example.com/' }), fails('NETWORK_DOMAIN_NOT_ALLOWED'));
      await assert.rejects(net.request('s', ['10.0.0.7'], { url: 'https://10.0.0.7/' }), fails('NETWORK_ADDRESS_BLOCKED'));
    } finally {
      await net.close();
    }
  });

  it('answers a development .test host in-process, under the same rules (https, manifest domains, size cap)', async () => {
    const net = new AppNetwork({ maxResponseBytes: 100 });
    const got: Array<[string, string, string | null]> = [];
    net.mapDevelopmentHost('backend.sample.test', async (request) => {
      got.push([request.method, new URL(request.url).pathname, request.headers.get('cookie')]);
      if (new URL(request.url).pathname === '/big') return new Response('x'.repeat(500));
      return Response.json({ echoed: await request.text() }, { headers: { 'set-cookie': 'a=b', etag: '"1"' } });
    });
    try {
      assert.throws(() => net.mapDevelopmentHost('api.example.com', () => new Response()), /\.test/);
      const res = await net.request('s', ['backend.sample.test'], { url: 'https://backend.sample.test/session', method: 'POST', headers: { cookie: 'x=y' }, body: '{"code":"c"}' });
      assert.deepEqual([res.status, JSON.parse(res.body), res.headers], [200, { echoed: '{"code":"c"}' }, { 'content-type': 'application/json', etag: '"1"' }]);
      assert.deepEqual(got, [['POST', '/session', null]]);
      await assert.rejects(net.request('s', [], { url: 'https://backend.sample.test/session' }), fails('NETWORK_DOMAIN_NOT_ALLOWED'));
      await assert.rejects(net.request('s', ['backend.sample.test'], { url: 'http://backend.sample.test/session' }), fails('NETWORK_INSECURE'));
      await assert.rejects(net.request('s', ['backend.sample.test'], { url: 'https://backend.sample.test/big' }), fails('NETWORK_RESPONSE_TOO_LARGE'));
    } finally {
      await net.close();
    }
  });

  it('checks the resolved address when connecting, so a name pointing at a private address is refused', async () => {
    const net = new AppNetwork({ resolve: async () => [{ address: '10.0.0.7', family: 4 }] });
    const rebinding = new AppNetwork({ resolve: async () => [{ address: '93.184.216.34', family: 4 }, { address: '127.0.0.1', family: 4 }] });
    try {
      await assert.rejects(net.request('s', ['intranet.example.com'], { url: 'https://intranet.example.com/admin' }), fails('NETWORK_ADDRESS_BLOCKED'));
      await assert.rejects(rebinding.request('s', ['mixed.example.com'], { url: 'https://mixed.example.com/' }), fails('NETWORK_ADDRESS_BLOCKED'));
    } finally {
      await net.close();
      await rebinding.close();
    }
  });

  it('talks to a local backend only when allowed for development, dropping cookies and passing safe headers', async () => {
    const net = new AppNetwork({ allowLocalForDevelopment: true });
    try {
      const res = await net.request('s', [host], { url: `${origin}/hello`, headers: { cookie: 'session=host', 'x-app': 'todo', Host: 'evil' } });
      assert.equal(res.status, 200);
      assert.equal(res.body, '{"hi":1}');
      assert.equal(res.headers['content-type'], 'application/json');
      assert.equal(res.headers['set-cookie'], undefined, 'cookies never reach the app');
      const headers = seen.at(-1)!;
      assert.equal(headers.cookie, undefined);
      assert.equal(headers['x-app'], 'todo');
      assert.equal(headers.host, host);
    } finally {
      await net.close();
    }
  });

  it('re-checks every redirect', async () => {
    const net = new AppNetwork({ allowLocalForDevelopment: true });
    try {
      assert.equal((await net.request('s', [host], { url: `${origin}/to-hello` })).body, '{"hi":1}');
      await assert.rejects(net.request('s', [host], { url: `${origin}/to-evil` }), fails('NETWORK_DOMAIN_NOT_ALLOWED'));
    } finally {
      await net.close();
    }
  });

  it('caps response size, time and requests in flight per session', async () => {
    const net = new AppNetwork({ allowLocalForDevelopment: true, maxResponseBytes: 1000, timeoutMs: 300, maxConcurrentPerSession: 2 });
    try {
      await assert.rejects(net.request('s', [host], { url: `${origin}/big` }), fails('NETWORK_RESPONSE_TOO_LARGE'));
      await assert.rejects(net.request('s', [host], { url: `${origin}/slow` }), fails('NETWORK_TIMEOUT'));
      const held = [net.request('a', [host], { url: `${origin}/slow` }), net.request('a', [host], { url: `${origin}/slow` })];
      await assert.rejects(net.request('a', [host], { url: `${origin}/hello` }), fails('NETWORK_TOO_MANY_REQUESTS'));
      assert.equal((await net.request('b', [host], { url: `${origin}/hello` })).status, 200, 'other sessions are not affected');
      await Promise.allSettled(held);
      assert.equal((await net.request('a', [host], { url: `${origin}/hello` })).status, 200, 'the slots are free again');
      await assert.rejects(net.request('a', [host], { url: `${origin}/hello`, method: 'POST', body: 'x'.repeat(2 * 1024 * 1024) }), fails('NETWORK_REQUEST_TOO_LARGE'));
    } finally {
      await net.close();
    }
  });
});
