// Where recordings go. Counts are kept in plain objects (the registry) and reported through
// observable instruments at scrape time: an OTel `Counter.add` hashes its attributes on every call
// (~1 µs), which alone would break the per-call budget. Histograms: see histogram.ts.
import { metrics, type Attributes, type BatchObservableResult, type Meter, type ObservableCallback, type Observable } from '@opentelemetry/api';
import { flushPendingCalls } from './pending-calls.js';
import { registry, type Binding, type CountSeries, type GaugeSource, type QueueReading } from './registry.js';
import { DB_BUCKETS, METRIC, REQUEST_BUCKETS, SCOPE_NAME } from './types.js';

export type { Binding, CountSeries, GaugeSource, QueueReading } from './registry.js';

export function newRequestSeries(attrs: Attributes): CountSeries {
  const s = { attrs, count: 0 };
  registry().requestSeries.push(s);
  return s;
}
export function newQueueSeries(attrs: Attributes): CountSeries {
  const s = { attrs, count: 0 };
  registry().queueSeries.push(s);
  return s;
}
export function newOverflowSeries(attrs: Attributes): CountSeries {
  const s = { attrs, count: 0 };
  registry().overflowSeries.push(s);
  return s;
}
export function setGaugeSource(queue: string, source: GaugeSource): void {
  registry().gauges.set(queue, source);
}

/** Binds to the global MeterProvider unless startTelemetry already bound a meter. Called when a
 * series is created, so a service that registers its SDK before instrumenting needs nothing else,
 * and one that registers it later is picked up (here, or by the watch below); counts and histogram
 * values made before any binding are not lost, they live in the registry. */
export function ensureBound(): void {
  const { binding } = registry();
  if (!binding) bindGlobal();
  else if (binding.global && metrics.getMeterProvider() !== binding.provider) bindGlobal();
}

/** Binds to whatever the global MeterProvider is now, and keeps watching it: an SDK started later
 * (NodeSDK after startTelemetry) replaces the API's no-op provider, and the shim rebinds to it. */
export function bindGlobal(): Binding {
  const provider = metrics.getMeterProvider();
  const bound = bindMeter(provider.getMeter(SCOPE_NAME), { localHistograms: false, provider, global: true });
  watchGlobalProvider();
  return bound;
}

const WATCH_MS = 1000;
const WARN_AFTER_MS = 2000;
let watch: ReturnType<typeof setInterval> | undefined;
let warned = false;

function watchGlobalProvider(): void {
  if (watch) return;
  const since = performance.now();
  watch = setInterval(() => {
    const { binding } = registry();
    if (!binding?.global) { clearInterval(watch); watch = undefined; return; }
    if (metrics.getMeterProvider() !== binding.provider) { bindGlobal(); return; }
    if (!warned && binding.noop && performance.now() - since >= WARN_AFTER_MS && anythingRecorded()) {
      warned = true;
      process.emitWarning(noopWarning(), { code: 'SENTINEL_NOOP_METER_PROVIDER' });
    }
  }, WATCH_MS);
  watch.unref?.();
}

function anythingRecorded(): boolean {
  flushPendingCalls();
  const r = registry();
  return r.requestSeries.some((s) => s.count > 0) || r.queueSeries.some((s) => s.count > 0) || r.dbDurations.series.some((s) => s.count > 0);
}

/** Why the global provider is still the no-op: none registered, or one registered by another copy
 * of @opentelemetry/api that this copy cannot read (a service on 1.9 beside a shim on 1.10). */
function noopWarning(): string {
  const global = (globalThis as Record<symbol, { version?: unknown; metrics?: unknown } | undefined>)[Symbol.for('opentelemetry.js.api.1')];
  const base = 'integration-sentinel: calls are being counted but no MeterProvider exports them';
  if (global?.metrics && typeof global.version === 'string') {
    return `${base}: a MeterProvider was registered through @opentelemetry/api ${global.version}, which this copy of the API cannot use. Install one copy of @opentelemetry/api (the shim's peer dependency), e.g. npm dedupe.`;
  }
  return `${base}: call startTelemetry({ serviceName, port }) for a /metrics server of our own, or start your OpenTelemetry SDK (NodeSDK) with a metric reader.`;
}

/** `localHistograms`: our own exporter reads the local histograms through a MetricProducer;
 * otherwise every value is mirrored to synchronous histograms of this meter. */
export function bindMeter(meter: Meter, options: { localHistograms: boolean; provider?: object; global?: boolean }): Binding {
  flushPendingCalls(); // calls made so far go where they would have gone when they returned
  const reg = registry();
  reg.binding?.detach();
  const noop = options.provider?.constructor?.name === 'NoopMeterProvider';
  const requests = meter.createObservableCounter(METRIC.requests, {
    description: 'Calls to partner integrations by operation, outcome and error code.',
  });
  const queueEvents = meter.createObservableCounter(METRIC.queueEvents, {
    description: 'Queue events by outcome: enqueued, processed, retried, failed.',
  });
  const overflow = meter.createObservableCounter(METRIC.cardinalityOverflow, {
    description: 'Calls whose operation was reported as "other" because the partner hit its operation cap.',
  });
  const pending = meter.createObservableGauge(METRIC.queuePending, {
    description: 'Events enqueued and neither processed nor failed yet.',
  });
  const oldestAge = meter.createObservableGauge(METRIC.queueOldestAge, {
    description: 'Age of the oldest pending event; 0 when nothing is pending.',
    unit: 's',
  });
  // Each callback reads the registry when called, so a reset between scrapes is seen. The SDK runs
  // them before it reads the sync histograms (MeterSharedState.collect), so the pending calls
  // counted here reach the mirrored histograms of this same collection.
  const observers: [Observable, ObservableCallback][] = [
    [requests, (r) => { flushPendingCalls(); report(r, registry().requestSeries); }],
    [queueEvents, (r) => report(r, registry().queueSeries)],
    [overflow, (r) => { flushPendingCalls(); report(r, registry().overflowSeries); }],
  ];
  for (const [instrument, callback] of observers) instrument.addCallback(callback);
  // One reading per queue and collection feeds both gauges: a broker is asked once, not twice.
  const queueGauges = async (r: BatchObservableResult) => {
    await Promise.all([...registry().gauges.values()].map(async (g) => {
      const reading = await readQueue(g);
      if (!reading) return;
      r.observe(pending, reading.pending, g.attrs);
      r.observe(oldestAge, reading.oldestAgeSeconds, g.attrs);
    }));
  };
  meter.addBatchObservableCallback(queueGauges, [pending, oldestAge]);

  const families = [reg.requestDurations, reg.dbDurations];
  if (options.localHistograms) {
    for (const f of families) { f.mirror = undefined; f.held = undefined; }
  } else if (noop) {
    for (const f of families) { f.mirror = undefined; f.held ??= []; }
  } else {
    reg.requestDurations.mirrorTo(meter.createHistogram(METRIC.requestDuration, {
      description: reg.requestDurations.description,
      unit: 's',
      advice: { explicitBucketBoundaries: REQUEST_BUCKETS },
    }));
    reg.dbDurations.mirrorTo(meter.createHistogram(METRIC.dbDuration, {
      description: reg.dbDurations.description,
      unit: 's',
      advice: { explicitBucketBoundaries: DB_BUCKETS },
    }));
  }
  const bound: Binding = {
    meter,
    provider: options.provider,
    global: options.global ?? false,
    noop,
    detach() {
      flushPendingCalls();
      for (const [instrument, callback] of observers) instrument.removeCallback(callback);
      meter.removeBatchObservableCallback(queueGauges, [pending, oldestAge]);
      const r = registry();
      if (r.binding === bound) {
        r.binding = undefined;
        for (const f of [r.requestDurations, r.dbDurations]) { f.mirror = undefined; f.held ??= []; }
      }
    },
  };
  reg.binding = bound;
  return bound;
}

const READ_TIMEOUT_MS = 2000;

/** A queue's reading, or undefined when its broker failed or took too long: the gauges then have
 * no sample this scrape (a gap), rather than a made-up 0 or a scrape that hangs. */
async function readQueue(source: GaugeSource): Promise<QueueReading | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const late = new Promise<undefined>((resolve) => { timer = setTimeout(resolve, READ_TIMEOUT_MS, undefined); });
    const reading = await Promise.race([Promise.resolve(source.read()), late]);
    if (!reading || !Number.isFinite(reading.pending) || !Number.isFinite(reading.oldestAgeSeconds)) return undefined;
    return reading;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

function report(result: { observe(value: number, attrs: Attributes): void }, series: CountSeries[]): void {
  // Series that never counted are skipped so /metrics does not list every possible outcome.
  for (const s of series) if (s.count > 0) result.observe(s.count, s.attrs);
}
