// Shim overhead, as ratios against named alternatives (run: npm run build && npx node bench/run.ts shim).
//  1. fetch through instrumentFetch vs bare fetch, interleaved call by call against a loopback server
//     in another process: p50 ratio, goal ≤ 1.03.
//  2. the same for @opentelemetry/instrumentation-undici (the standard), interleaved in blocks because
//     it instruments every fetch of the process through diagnostics_channel while enabled.
//  3. instrumentClient and instrumentQuery overhead per call in µs, goal ≤ 1.5 µs.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { instrumentClient, instrumentFetch, instrumentQuery, startTelemetry } from 'integration-sentinel';

const FETCH_ROUNDS = 2500;
const UNDICI_BLOCKS = 24;
const BLOCK = 100;
const MICRO_CALLS = 200_000;
const MICRO_ROUNDS = 7;

// The partner lives in its own process so its work does not share our event loop.
const server = spawn(process.execPath, ['-e', `
  const s = require('node:http').createServer((req, res) => { res.setHeader('content-type', 'application/json'); res.end('{"ok":true}'); });
  s.keepAliveTimeout = 60000;
  s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));
`], { stdio: ['ignore', 'pipe', 'inherit'] });
const [portLine] = (await once(server.stdout!, 'data')) as [Buffer];
const base = `http://127.0.0.1:${String(portLine).trim()}`;

const telemetry = await startTelemetry({ serviceName: 'bench', port: 0 });
const shimFetch = instrumentFetch(fetch, { partner: 'bench', routes: ['/patients/:id'] });

const p = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * q)]!;
async function timed(f: typeof fetch, url: string): Promise<number> {
  const t = performance.now();
  const res = await f(url);
  await res.arrayBuffer();
  return performance.now() - t;
}

// 1. shim vs bare, alternating which goes first so neither always gets the warmer connection.
for (let i = 0; i < 300; i++) { await timed(fetch, `${base}/patients/${i}`); await timed(shimFetch, `${base}/patients/${i}`); }
const bare: number[] = [];
const shim: number[] = [];
for (let i = 0; i < FETCH_ROUNDS; i++) {
  const url = `${base}/patients/${100000 + i}`;
  if (i % 2) { bare.push(await timed(fetch, url)); shim.push(await timed(shimFetch, url)); }
  else { shim.push(await timed(shimFetch, url)); bare.push(await timed(fetch, url)); }
}

// 2. instrumentation-undici: its own MeterProvider + Prometheus exporter, the same as ours; no tracer
//    provider is registered, so its spans are the API's non-recording ones (its cheapest setting).
const undiciProvider = new MeterProvider({ readers: [new PrometheusExporter({ preventServerStart: true })] });
const undici = new UndiciInstrumentation({ enabled: false });
undici.setMeterProvider(undiciProvider);
const bareB: number[] = [];
const undiciB: number[] = [];
for (let b = 0; b < UNDICI_BLOCKS; b++) {
  const on = b % 2 === 0;
  if (on) undici.enable(); else undici.disable();
  for (let i = 0; i < 20; i++) await timed(fetch, `${base}/warm`); // settle after the switch
  for (let i = 0; i < BLOCK; i++) (on ? undiciB : bareB).push(await timed(fetch, `${base}/patients/${b * BLOCK + i}`));
}
undici.disable();

// 3. per-call overhead of instrumentClient and instrumentQuery (sync and async methods).
class Client {
  #n = 0;
  add(x: number): number { return (this.#n += x); }
  async get(x: number): Promise<number> { return (this.#n += x); }
}
const rawClient = new Client();
const wrapped = instrumentClient(new Client(), { partner: 'bench-client' });
const rawQuery = (x: number) => x + 1;
const wrappedQuery = instrumentQuery('bench_query', rawQuery);
const rawAsyncQuery = async (x: number) => x + 1;
const wrappedAsyncQuery = instrumentQuery('bench_async_query', rawAsyncQuery);

function perCallSync(fn: (x: number) => unknown): number {
  const t = performance.now();
  for (let i = 0; i < MICRO_CALLS; i++) fn(i);
  return ((performance.now() - t) * 1000) / MICRO_CALLS;
}
async function perCallAsync(fn: (x: number) => Promise<unknown>): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < MICRO_CALLS; i++) await fn(i);
  return ((performance.now() - t) * 1000) / MICRO_CALLS;
}
async function overhead(bareFn: () => number | Promise<number>, shimFn: () => number | Promise<number>) {
  const diffs: number[] = [];
  await bareFn(); await shimFn(); // warm-up
  for (let r = 0; r < MICRO_ROUNDS; r++) {
    const a = await bareFn();
    const b = await shimFn();
    diffs.push(b - a);
  }
  return p(diffs, 0.5);
}
const micro = [
  ['instrumentClient, sync method', await overhead(() => perCallSync((x) => rawClient.add(x)), () => perCallSync((x) => wrapped.add(x)))],
  ['instrumentClient, async method', await overhead(() => perCallAsync((x) => rawClient.get(x)), () => perCallAsync((x) => wrapped.get(x)))],
  ['instrumentQuery, sync function', await overhead(() => perCallSync(rawQuery), () => perCallSync(wrappedQuery))],
  ['instrumentQuery, async function', await overhead(() => perCallAsync(rawAsyncQuery), () => perCallAsync(wrappedAsyncQuery))],
] as const;

await telemetry.shutdown();
await undiciProvider.shutdown();
server.kill();

const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
const verdict = (ok: boolean) => (ok ? 'meets goal' : 'MISSES goal');
const shimRatio = p(shim, 0.5) / p(bare, 0.5);
const undiciRatio = p(undiciB, 0.5) / p(bareB, 0.5);
console.log(`fetch against a loopback server (${FETCH_ROUNDS} interleaved pairs; undici: ${UNDICI_BLOCKS} blocks of ${BLOCK})`);
console.log('  variant                          p50        p99        p50 ratio to bare   goal ≤ 1.03');
console.log(`  bare fetch                       ${us(p(bare, 0.5)).padEnd(10)} ${us(p(bare, 0.99)).padEnd(10)} 1.000`);
console.log(`  instrumentFetch (shim)           ${us(p(shim, 0.5)).padEnd(10)} ${us(p(shim, 0.99)).padEnd(10)} ${shimRatio.toFixed(3).padEnd(19)} ${verdict(shimRatio <= 1.03)}`);
console.log(`  bare fetch (undici blocks)       ${us(p(bareB, 0.5)).padEnd(10)} ${us(p(bareB, 0.99)).padEnd(10)} 1.000`);
console.log(`  instrumentation-undici           ${us(p(undiciB, 0.5)).padEnd(10)} ${us(p(undiciB, 0.99)).padEnd(10)} ${undiciRatio.toFixed(3).padEnd(19)} (the standard, for reference)`);
console.log('');
console.log('per-call overhead (median of 7 rounds of 200k calls, wrapped minus bare)   goal ≤ 1.5 µs');
for (const [what, v] of micro) console.log(`  ${what.padEnd(34)} ${`${v.toFixed(2)} µs`.padEnd(10)} ${verdict(v <= 1.5)}`);
