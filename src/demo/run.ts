// `sentinel demo` end to end: fake partners, the instrumented service, /metrics, the live summary.
import { startTelemetry } from '../shim/telemetry.js';
import { startFakePartner, type FakePartner } from './partners.js';
import { startDemoService } from './service.js';
import { formatSummary, parseSummary } from './summary.js';

export interface DemoOptions {
  port: number;
  host: string;
  /** Stop after this many ms; undefined runs until stopped (Ctrl-C). */
  durationMs: number | undefined;
  summaryEveryMs: number;
  ticksPerSecond: number;
  out: (text: string) => void;
  /** Resolves when the user asks to stop (SIGINT); the CLI wires it, tests leave it out. */
  stopSignal?: Promise<void>;
}

export async function runDemo(options: DemoOptions): Promise<void> {
  const partners: FakePartner[] = [];
  const telemetry = await startTelemetryOnFreePort(options);
  try {
    const ehr = await startFakePartner('acme-ehr', { unavailable: 0.02, tokenExpired: 0.01, latencyMs: 20 });
    const lab = await startFakePartner('northwind-labs', { unavailable: 0.03, tokenExpired: 0, latencyMs: 35 });
    const pharmacy = await startFakePartner('rx-direct', { unavailable: 0.01, tokenExpired: 0.02, latencyMs: 15 });
    partners.push(ehr, lab, pharmacy);
    const service = startDemoService({ ehr, lab, pharmacy }, telemetry.meter);
    options.out(
      `sentinel demo: a simulated service calling 3 partners on loopback (${partners.map((p) => p.name).join(', ')}).\n` +
        `metrics: ${telemetry.url}\n` +
        (options.durationMs === undefined ? 'Ctrl-C to stop.\n\n' : `running for ${options.durationMs / 1000}s.\n\n`),
    );

    const started = Date.now();
    const printSummary = async () => {
      const text = await (await fetch(telemetry.url!)).text();
      options.out(formatSummary(parseSummary(text), Date.now() - started));
    };
    let running = true;
    const traffic = (async () => {
      const gap = 1000 / options.ticksPerSecond;
      while (running) {
        const t0 = Date.now();
        await service.tick();
        await sleep(Math.max(0, gap - (Date.now() - t0)));
      }
    })();
    const summaries = setInterval(() => void printSummary().catch((e: Error) => options.out(`summary failed: ${e.message}\n`)), options.summaryEveryMs);
    const waits: Promise<void>[] = [];
    if (options.durationMs !== undefined) waits.push(sleep(options.durationMs));
    if (options.stopSignal) waits.push(options.stopSignal);
    await Promise.race(waits.length ? waits : [new Promise<void>(() => undefined)]);
    running = false;
    clearInterval(summaries);
    await traffic;
    await service.stop();
    await printSummary();
  } finally {
    await Promise.all(partners.map((p) => p.close()));
    await telemetry.shutdown();
  }
}

/** The default port 9464 may be taken by a real exporter on this machine: fall back to a free one. */
async function startTelemetryOnFreePort(options: DemoOptions) {
  try {
    return await startTelemetry({ serviceName: 'sentinel-demo', port: options.port, host: options.host });
  } catch (error) {
    if (options.port !== 9464) throw error;
    options.out('port 9464 is busy, using a free port instead (choose one with --port)\n');
    return startTelemetry({ serviceName: 'sentinel-demo', port: 0, host: options.host });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
