// Latency histograms aggregated in place. A synchronous OTel `Histogram.record` sorts and
// JSON-stringifies the attributes on every call (~0.9 µs), more than half of the per-call budget.
// Each series here is one object with its own bucket counts, found once per operation and updated
// with a few additions; our own Prometheus exporter reads them through a MetricProducer
// (telemetry/histogram-producer.ts). When the shim records on someone else's MeterProvider (no way
// to add a producer there), each value is also mirrored to a synchronous histogram of that provider.
import type { Attributes, Histogram } from '@opentelemetry/api';

export type HrTime = [number, number];
export const hrNow = (): HrTime => {
  const ms = performance.timeOrigin + performance.now();
  return [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];
};

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
    const m = this.family.mirror;
    if (m) m.record(seconds, this.attrs);
    else if (this.family.held) this.family.hold(this, seconds);
  }
}

export class HistogramFamily {
  readonly series: HistogramSeries[] = [];
  /** Where values are mirrored; undefined while our own exporter reads the local series. */
  mirror: Histogram | undefined = undefined;
  /** Values recorded before any MeterProvider was there to take them (no startTelemetry yet, the
   * global provider still the API's no-op): replayed into the mirror when one binds, so histograms
   * lose nothing, like the counters. Undefined once a provider reads them. */
  held: [HistogramSeries, number][] | undefined = [];
  /** Values past this many are dropped rather than held (a service with no SDK at all). */
  static readonly MAX_HELD = 50_000;

  constructor(
    readonly kind: 'request' | 'db',
    readonly name: string,
    readonly description: string,
    readonly boundaries: number[],
  ) {}

  hold(series: HistogramSeries, seconds: number): void {
    if (this.held!.length < HistogramFamily.MAX_HELD) this.held!.push([series, seconds]);
  }

  /** Mirrors to `histogram` from now on, after replaying the held values into it. */
  mirrorTo(histogram: Histogram): void {
    this.mirror = histogram;
    for (const [series, seconds] of this.held ?? []) histogram.record(seconds, series.attrs);
    this.held = undefined;
  }

  newSeries(attrs: Attributes): HistogramSeries {
    const s = new HistogramSeries(this, attrs);
    this.series.push(s);
    return s;
  }
}
