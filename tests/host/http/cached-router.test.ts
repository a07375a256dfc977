import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TrieRouter } from 'hono/router/trie-router';
import { CachedRouter } from '../../../host/src/http/cached-router.ts';

describe('http: the cached router', () => {
  const ROUTES: Array<[string, string]> = [
    ['ALL', '*'],
    ['GET', '/v1/me'],
    ['GET', '/v1/contacts/requests'],
    ['DELETE', '/v1/contacts/:userId'],
    ['DELETE', '/v1/contacts/requests/:requestId'],
    ['GET', '/v1/conversations/:id/messages'],
    ['GET', '/a/:appId/*'],
  ];
  const build = <R extends TrieRouter<number> | CachedRouter<number>>(router: R): R => {
    ROUTES.forEach(([method, path], i) => router.add(method, path, i));
    return router;
  };

  it('answers exactly as the router it wraps, first and second time, params included', () => {
    const trie = build(new TrieRouter<number>());
    const cached = build(new CachedRouter<number>(new TrieRouter<number>(), 3));
    const asks: Array<[string, string]> = [
      ['GET', '/v1/me'], ['GET', '/v1/me'], ['DELETE', '/v1/contacts/usr_1'], ['DELETE', '/v1/contacts/requests/req_9'], ['DELETE', '/v1/contacts/usr_2'],
      ['GET', '/v1/conversations/c1/messages'], ['GET', '/a/dev.x.y/pages/index'], ['POST', '/nowhere'], ['DELETE', '/v1/contacts/usr_1'], ['GET', '/v1/me'],
    ];
    for (const [method, path] of asks) assert.deepEqual(cached.match(method, path), trie.match(method, path), `${method} ${path}`);
  });

  it('forgets answers when a route is added, so new routes are found', () => {
    const cached = build(new CachedRouter<number>());
    assert.deepEqual(cached.match('GET', '/v1/new')[0].map(([h]) => h), [0]);
    cached.add('GET', '/v1/new', 99);
    assert.deepEqual(cached.match('GET', '/v1/new')[0].map(([h]) => h), [0, 99]);
  });
});
