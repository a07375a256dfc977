/**
 * @module Serves a host over HTTP with @hono/node-server, WebSocket upgrades included (`ws`).
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { WebSocketServer } from 'ws';
import type { Host } from './app.ts';

/** A listening server. */
export interface ServedHost {
  server: ServerType;
  port: number;
}

/**
 * Listens on `hostname:port` (0: any free port). `host` may be a function, for when the host is built after
 * the port is known (its public URL depends on it).
 * @example const { port } = await serveHost(() => host, { hostname: '127.0.0.1', port: 8080 });
 */
export function serveHost(host: () => Host | undefined, options: { hostname: string; port: number }): Promise<ServedHost> {
  // maxPayload: the hub closes bigger frames anyway; this stops ws buffering them first.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 });
  return new Promise((resolve, reject) => {
    const server = serve({
      fetch: (request, env) => host()?.fetch(request, env) ?? new Response('starting', { status: 503 }),
      hostname: options.hostname,
      port: options.port,
      websocket: { server: wss },
    });
    server.once('error', reject);
    server.once('listening', () => resolve({ server, port: (server.address() as AddressInfo).port }));
  });
}
