// Where recordings go. Counts are kept in plain objects in this process and reported through
// observable instruments at scrape time: an OTel `Counter.add` hashes its attributes on every call
// (~1 µs), which alone would break the per-call budget. Histograms: see histogram.ts.
import { metrics, type Attributes, type Meter, type ObservableCallback, type Observable } from '@opentelemetry/api';
import { mirror } from './histogram.js';
import { DB_BUCKETS, METRIC, REQUEST_BUCKETS, SCOPE_NAME } from './types.js';

/** One counter series: its label set and its running count. */
export interface CountSeries {
  readonly attrs: Attributes;
  count: number;
}

/** A gauge reading taken at scrape time (queues report pending count and oldest age). */
export interface GaugeSource {
  readonly attrs: Attributes;
  pending(): number;
  oldestAgeSeconds(): number;
}

const requestSeries: CountSeries[] = [];
const queueSeries: CountSeries[] = [];
const overflowSeries: CountSeries[] = [];
// Keyed by queue name: a queue re-created under the same name replaces the old reading.
const gauges = new Map<string, GaugeSource>();

export function newRequestSeries(attrs: Attributes): CountSeries {
  const s = { attrs, count: 0 };
  requestSeries.push(s);
  return s;
}
export function newQueueSeries(attrs: Attributes): CountSeries {
  const s = { attrs, count: 0 };
  queueSeries.push(s);
  return s;
}
export function newOverflowSeries(attrs: Attributes): CountSeries {
  const s = { attrs, count: 0 };
  overflowSeries.push(s);
  return s;
}
export function setGaugeSource(queue: string, source: GaugeSource): void {
  gauges.set(queue, source);
}

/** The instruments of one meter, plus the observable callbacks to detach when rebinding. */
export interface Binding {
  readonly meter: Meter;
  detach(): void;
}

let current: Binding | undefined;

/** Binds to the global MeterProvider unless startTelemetry already bound a meter. Called when the
 * first series is created, so a service that registers its SDK before instrumenting needs nothing
 * else; counts made before any binding are not lost, they live in this module. */
export function ensureBound(): void {
  if (!current) bindMeter(metrics.getMeter(SCOPE_NAME), { localHistograms: false });
}

/** `localHistograms`: our own exporter reads the local histograms through a MetricProducer;
 * otherwise every value is mirrored to synchronous histograms of this meter. */
export function bindMeter(meter: Meter, options: { localHistograms: boolean }): Binding {
  current?.detach();
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
  const observers: [Observable, ObservableCallback][] = [
    [requests, (r) => report(r, requestSeries)],
    [queueEvents, (r) => report(r, queueSeries)],
    [overflow, (r) => report(r, overflowSeries)],
    [pending, (r) => { for (const g of gauges.values()) r.observe(g.pending(), g.attrs); }],
    [oldestAge, (r) => { for (const g of gauges.values()) r.observe(g.oldestAgeSeconds(), g.attrs); }],
  ];
  for (const [instrument, callback] of observers) instrument.addCallback(callback);

  if (options.localHistograms) {
    mirror.request = undefined;
    mirror.db = undefined;
  } else {
    mirror.request = meter.createHistogram(METRIC.requestDuration, {
      description: 'Latency of partner calls until the response (or error) arrived.',
      unit: 's',
      advice: { explicitBucketBoundaries: REQUEST_BUCKETS },
    });
    mirror.db = meter.createHistogram(METRIC.dbDuration, {
      description: 'Duration of database client operations (OTel semantic convention db.client.operation.duration).',
      unit: 's',
      advice: { explicitBucketBoundaries: DB_BUCKETS },
    });
  }
  const bound: Binding = {
    meter,
    detach() {
      for (const [instrument, callback] of observers) instrument.removeCallback(callback);
      if (current === bound) {
        current = undefined;
        mirror.request = undefined;
        mirror.db = undefined;
      }
    },
  };
  current = bound;
  return bound;
}

function report(result: { observe(value: number, attrs: Attributes): void }, series: CountSeries[]): void {
  // Series that never counted are skipped so /metrics does not list every possible outcome.
  for (const s of series) if (s.count > 0) result.observe(s.count, s.attrs);
}
