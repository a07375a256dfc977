/**
 * @module The checkpointer thread: copies each open database's write-ahead log back into its file on a timer,
 * on its own SQLite connection, so the fsyncs and page copies of a checkpoint never block the event loop of
 * the thread serving requests. One thread serves every database the process opens ({@link ./database.ts}).
 *
 * Messages in: `{ type: 'open', path, everyMs }`, `{ type: 'close', path, id }`; out: `{ type: 'closed', id }`
 * once the connection to that path is closed, `{ type: 'error', path, message }` when a checkpoint fails.
 */
import { parentPort } from 'node:worker_threads';
import Sqlite from 'better-sqlite3';

type Message = { type: 'open'; path: string; everyMs: number } | { type: 'close'; path: string; id: number };

const port = parentPort;
if (!port) throw new Error('checkpoint-worker.ts runs as a worker thread');
const open = new Map<string, { connection: Sqlite.Database; timer: NodeJS.Timeout }>();

port.on('message', (message: Message) => {
  if (message.type === 'open') {
    if (open.has(message.path)) return;
    const connection = new Sqlite(message.path);
    connection.pragma('busy_timeout = 5000');
    // NORMAL: a checkpoint fsyncs the log before copying it and the database file before the log is reused.
    connection.pragma('synchronous = NORMAL');
    const timer = setInterval(() => {
      try {
        connection.pragma('wal_checkpoint(PASSIVE)');
      } catch (error) {
        port.postMessage({ type: 'error', path: message.path, message: (error as Error).message });
      }
    }, message.everyMs);
    open.set(message.path, { connection, timer });
    return;
  }
  const entry = open.get(message.path);
  if (entry) {
    clearInterval(entry.timer);
    entry.connection.close();
    open.delete(message.path);
  }
  port.postMessage({ type: 'closed', id: message.id });
});
