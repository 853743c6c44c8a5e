// `sentinel demo` end to end: the simulated instrumented service (fake partners, the shim, /metrics,
// the live summary) and, beside it, the replay of a postmortem incident through the rule pack and the
// escalation pipeline, printing what reaches the local Slack and SMTP sinks.
import { startTelemetry } from '../shim/index.js';
import { replayIncident, type IncidentScenario } from './incident-replay.js';
import type { Speed } from './pacer.js';
import { startFakePartner, type FakePartner } from './partners.js';
import { startDemoService } from './service.js';
import { formatSummary, parseSummary } from './summary.js';

export interface DemoOptions {
  port: number;
  host: string;
  /** Stop after this many ms, replay or not. */
  durationMs: number | undefined;
  /** Keep the service running after the replay, until stopped (Ctrl-C). */
  live?: boolean;
  summaryEveryMs: number;
  ticksPerSecond: number;
  /** The incident to replay; undefined runs the simulated service alone. */
  replay?: { scenario: IncidentScenario; seed: number; speed: Speed | 'auto'; rulesDir?: string };
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
    const endsWhen = options.durationMs !== undefined
      ? `running for ${options.durationMs / 1000}s; Ctrl-C to stop.`
      : options.replay && !options.live
        ? 'stops when the replay ends; Ctrl-C to stop sooner (--live keeps the service running).'
        : 'Ctrl-C to stop.';
    options.out(
      `sentinel demo: a simulated service calling 3 partners on loopback (${partners.map((p) => p.name).join(', ')}).\n` +
        `metrics: ${telemetry.url}\n${endsWhen}\n\n`,
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

    // Without --duration or --live the demo is the replay: it ends when the replay does.
    const replayEndsDemo = options.durationMs === undefined && !options.live;
    const stopReplay = new AbortController();
    let replayError: Error | undefined;
    const replayDone = options.replay
      ? replayIncident({ ...options.replay, out: options.out, signal: stopReplay.signal }).then(
          () => undefined,
          (error: Error) => {
            replayError = error;
            if (replayEndsDemo) return;
            options.out(`replay failed: ${error.message}\n`); // the live service goes on
          },
        )
      : undefined;
    const waits: Promise<unknown>[] = [];
    let timer: NodeJS.Timeout | undefined;
    if (options.durationMs !== undefined) waits.push(new Promise((resolve) => (timer = setTimeout(resolve, options.durationMs))));
    if (options.stopSignal) waits.push(options.stopSignal);
    if (replayDone && replayEndsDemo) waits.push(replayDone);
    try {
      await Promise.race(waits.length ? waits : [new Promise<void>(() => undefined)]);
    } finally {
      clearTimeout(timer);
      stopReplay.abort();
      running = false;
      clearInterval(summaries);
      await traffic;
      await service.stop();
      await replayDone;
    }
    if (replayError && replayEndsDemo) throw replayError;
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
