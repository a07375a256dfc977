/**
 * @module The benchmark's baseline: a bare hono "hello" app on @hono/node-server, in its own process.
 * Prints `{"port": N}` once listening, and `{"cpuUs": N}` on SIGUSR2.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.get('/', (c) => c.text('hello'));
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  process.stdout.write(`${JSON.stringify({ port: info.port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

// The benchmark asks for the CPU this process spent (user + system, µs) since it last asked.
let mark = process.cpuUsage();
process.on('SIGUSR2', () => {
  const used = process.cpuUsage(mark);
  mark = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuUs: used.user + used.system })}\n`);
});
