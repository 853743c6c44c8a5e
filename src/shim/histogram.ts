// Latency histograms aggregated in place. A synchronous OTel `Histogram.record` sorts and
// JSON-stringifies the attributes on every call (~0.9 µs), more than half of the per-call budget.
// Each series here is one object with its own bucket counts, found once per operation and updated
// with a few additions; our own Prometheus exporter reads them through a MetricProducer. When the
// shim records on someone else's MeterProvider (no way to add a producer there), each value is
// also mirrored to a synchronous histogram of that provider.
import { ValueType, type Attributes, type Histogram } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, type CollectionResult, type MetricData, type MetricProducer } from '@opentelemetry/sdk-metrics';
import { DB_BUCKETS, METRIC, REQUEST_BUCKETS, SCOPE_NAME } from './types.js';

type HrTime = [number, number];
const hrNow = (): HrTime => {
  const ms = performance.timeOrigin + performance.now();
  return [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];
};

/** Where mirrored values go; undefined while our own exporter reads the local series. */
export interface HistogramMirror {
  request: Histogram | undefined;
  db: Histogram | undefined;
}
export const mirror: HistogramMirror = { request: undefined, db: undefined };

export class HistogramSeries {
  readonly counts: number[];
  sum = 0;
  count = 0;
  min = Infinity;
  max = -Infinity;
  readonly startTime: HrTime = hrNow();

  constructor(
    readonly family: HistogramFamily,
    readonly attrs: Attributes,
  ) {
    this.counts = new Array<number>(family.boundaries.length + 1).fill(0);
  }

  record(seconds: number): void {
    const b = this.family.boundaries;
    let i = 0;
    while (i < b.length && seconds > b[i]!) i++; // boundaries are inclusive upper bounds
    this.counts[i]!++;
    this.sum += seconds;
    this.count++;
    if (seconds < this.min) this.min = seconds;
    if (seconds > this.max) this.max = seconds;
    const m = this.family.kind === 'request' ? mirror.request : mirror.db;
    if (m) m.record(seconds, this.attrs);
  }
}

export class HistogramFamily {
  readonly series: HistogramSeries[] = [];
  constructor(
    readonly kind: 'request' | 'db',
    readonly name: string,
    readonly description: string,
    readonly boundaries: number[],
  ) {}

  newSeries(attrs: Attributes): HistogramSeries {
    const s = new HistogramSeries(this, attrs);
    this.series.push(s);
    return s;
  }

  toMetricData(endTime: HrTime): MetricData | undefined {
    const dataPoints = [];
    for (const s of this.series) {
      if (s.count === 0) continue;
      dataPoints.push({
        attributes: s.attrs,
        startTime: s.startTime,
        endTime,
        value: { buckets: { boundaries: this.boundaries, counts: [...s.counts] }, sum: s.sum, count: s.count, min: s.min, max: s.max },
      });
    }
    if (dataPoints.length === 0) return undefined;
    return {
      descriptor: { name: this.name, description: this.description, unit: 's', valueType: ValueType.DOUBLE },
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.HISTOGRAM,
      dataPoints,
    };
  }
}

export const requestDurations = new HistogramFamily('request', METRIC.requestDuration, 'Latency of partner calls until the response (or error) arrived.', REQUEST_BUCKETS);
export const dbDurations = new HistogramFamily('db', METRIC.dbDuration, 'Duration of database client operations (OTel semantic convention db.client.operation.duration).', DB_BUCKETS);

/** Hands the local histograms to a MetricReader (our Prometheus exporter) at each collection. */
export function localHistogramProducer(resource: Resource): MetricProducer {
  return {
    async collect(): Promise<CollectionResult> {
      const end = hrNow();
      const metrics: MetricData[] = [];
      for (const family of [requestDurations, dbDurations]) {
        const data = family.toMetricData(end);
        if (data) metrics.push(data);
      }
      return { resourceMetrics: { resource, scopeMetrics: [{ scope: { name: SCOPE_NAME }, metrics }] }, errors: [] };
    },
  };
}
