/**
 * @module The event bus: every fan-out between parts of the host goes through it, so a multi-process
 * deployment can swap the in-process bus for Redis or NATS.
 */
import { EventEmitter } from 'node:events';

/** Publishes JSON-serializable events on topics and delivers them to subscribers. */
export interface Bus {
  publish(topic: string, event: unknown): void;
  /** Returns a function that unsubscribes. */
  subscribe(topic: string, handler: (event: unknown) => void): () => void;
  close(): Promise<void>;
}

/**
 * The default bus: in-process, synchronous delivery, events copied through JSON like a network bus would.
 * @example const bus = createMemoryBus(); const off = bus.subscribe('device.revoked', console.log);
 */
export function createMemoryBus(): Bus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish(topic, event) {
      const wire = JSON.stringify(event);
      emitter.emit(topic, wire);
    },
    subscribe(topic, handler) {
      const listener = (wire: string) => handler(JSON.parse(wire));
      emitter.on(topic, listener);
      return () => emitter.off(topic, listener);
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}
