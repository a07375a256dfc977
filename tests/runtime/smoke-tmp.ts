import { startTestRuntime } from './helpers/runtime.ts';
import { hostilePage, seen } from './helpers/hostile.ts';
await using rt = await startTestRuntime({ limits: { eventsPerSecond: 1000 } });
await rt.launch('b5', hostilePage(`warn() { this.setData({ out: 'w'.repeat(300 * 1024) }); },`));
console.log(await rt.runtime.event('b5', 1, 'warn', {}));
await new Promise((r) => setTimeout(r, 300));
console.log(seen(rt, 'b5').slice(0, 50));
console.log(rt.outputs.filter((o) => o.type !== 'patches').map((o) => JSON.stringify(o).slice(0, 300)));
