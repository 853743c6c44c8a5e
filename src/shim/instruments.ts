// Where recordings go. Counts are kept in plain objects (the registry) and reported through
// observable instruments at scrape time: an OTel `Counter.add` hashes its attributes on every call
// (~1 µs), which alone would break the per-call budget. Histograms: see histogram.ts.
import { metrics, type Attributes, type Meter, type ObservableCallback, type Observable } from '@opentelemetry/api';
import { registry, type Binding, type CountSeries, type GaugeSource } from './registry.js';
import { DB_BUCKETS, METRIC, REQUEST_BUCKETS, SCOPE_NAME } from './types.js';

export type { Binding, CountSeries, GaugeSource } from './registry.js';

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

/** Binds to the global MeterProvider unless startTelemetry already bound a meter. Called when the
 * first series is created, so a service that registers its SDK before instrumenting needs nothing
 * else; counts made before any binding are not lost, they live in the registry. */
export function ensureBound(): void {
  if (!registry().binding) bindMeter(metrics.getMeter(SCOPE_NAME), { localHistograms: false });
}

/** `localHistograms`: our own exporter reads the local histograms through a MetricProducer;
 * otherwise every value is mirrored to synchronous histograms of this meter. */
export function bindMeter(meter: Meter, options: { localHistograms: boolean }): Binding {
  const reg = registry();
  reg.binding?.detach();
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
  // Each callback reads the registry when called, so a reset between scrapes is seen.
  const observers: [Observable, ObservableCallback][] = [
    [requests, (r) => report(r, registry().requestSeries)],
    [queueEvents, (r) => report(r, registry().queueSeries)],
    [overflow, (r) => report(r, registry().overflowSeries)],
    [pending, (r) => { for (const g of registry().gauges.values()) r.observe(g.pending(), g.attrs); }],
    [oldestAge, (r) => { for (const g of registry().gauges.values()) r.observe(g.oldestAgeSeconds(), g.attrs); }],
  ];
  for (const [instrument, callback] of observers) instrument.addCallback(callback);

  if (options.localHistograms) {
    reg.requestDurations.mirror = undefined;
    reg.dbDurations.mirror = undefined;
  } else {
    reg.requestDurations.mirror = meter.createHistogram(METRIC.requestDuration, {
      description: reg.requestDurations.description,
      unit: 's',
      advice: { explicitBucketBoundaries: REQUEST_BUCKETS },
    });
    reg.dbDurations.mirror = meter.createHistogram(METRIC.dbDuration, {
      description: reg.dbDurations.description,
      unit: 's',
      advice: { explicitBucketBoundaries: DB_BUCKETS },
    });
  }
  const bound: Binding = {
    meter,
    detach() {
      for (const [instrument, callback] of observers) instrument.removeCallback(callback);
      const r = registry();
      if (r.binding === bound) {
        r.binding = undefined;
        r.requestDurations.mirror = undefined;
        r.dbDurations.mirror = undefined;
      }
    },
  };
  reg.binding = bound;
  return bound;
}

function report(result: { observe(value: number, attrs: Attributes): void }, series: CountSeries[]): void {
  // Series that never counted are skipped so /metrics does not list every possible outcome.
  for (const s of series) if (s.count > 0) result.observe(s.count, s.attrs);
}
