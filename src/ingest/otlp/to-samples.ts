// OTLP metrics into the detector's Samples, named and labelled as the Prometheus exporter would expose
// them (the shim runs it with `withoutScopeInfo`, so no otel_scope_* labels): sums and gauges as they
// are, histograms as `_count`, `_sum` and cumulative `_bucket{le}` with `le="+Inf"` last, the resource
// as `target_info`. Delta temporality is summed here into the cumulative counters a scrape would show,
// per series and sender; exponential histograms and summaries are skipped and counted, as the exporter
// skips them. Samples are stamped with the arrival time, as a scrape is.
import { seriesId, type Sample } from '../../model/index.js';
import { attributeLabels, prometheusMetricName } from './prometheus-names.js';
import { DELTA, type OtlpKeyValue, type OtlpMetricsRequest } from './types.js';

export interface MappedRequest {
  readonly samples: Sample[];
  readonly dataPoints: number;
  /** Metrics skipped, by why (e.g. `exponential_histogram`). */
  readonly skipped: Readonly<Record<string, number>>;
}

export class OtlpToPrometheus {
  /** Running totals of delta series, keyed by target and series. */
  readonly #deltaTotals = new Map<string, number>();

  map(request: OtlpMetricsRequest, nowMs: number): MappedRequest {
    const samples: Sample[] = [];
    const skipped: Record<string, number> = {};
    let dataPoints = 0;
    for (const rm of request.resourceMetrics ?? []) {
      const resource = rm.resource?.attributes ?? [];
      const target = targetOf(resource);
      const push = (name: string, labels: Record<string, string>, value: number, delta: boolean): void => {
        for (const k of Object.keys(labels)) if (labels[k] === '') delete labels[k];
        const series = seriesId(name, labels);
        if (delta) {
          const key = `${target}\u0000${series}`;
          value += this.#deltaTotals.get(key) ?? 0;
          this.#deltaTotals.set(key, value);
        }
        samples.push({ name, labels: Object.freeze(labels), value, timestampMs: nowMs, series, target });
      };
      if (resource.length > 0) push('target_info', attributeLabels(resource), 1, false);
      for (const sm of rm.scopeMetrics ?? []) {
        for (const metric of sm.metrics ?? []) {
          if (metric.sum || metric.gauge) {
            const monotonic = metric.sum?.isMonotonic === true;
            const name = prometheusMetricName(metric.name, monotonic);
            if (!name) { skipped.invalid_name = (skipped.invalid_name ?? 0) + 1; continue; }
            const delta = metric.sum?.aggregationTemporality === DELTA;
            for (const dp of (metric.sum ?? metric.gauge)!.dataPoints ?? []) {
              dataPoints++;
              const value = dp.value === 'asInt' ? dp.asInt! : dp.value === 'asDouble' ? dp.asDouble! : (dp.asDouble ?? dp.asInt ?? 0);
              push(name, attributeLabels(dp.attributes), Number(value), delta);
            }
          } else if (metric.histogram) {
            const name = prometheusMetricName(metric.name, false);
            if (!name) { skipped.invalid_name = (skipped.invalid_name ?? 0) + 1; continue; }
            const delta = metric.histogram.aggregationTemporality === DELTA;
            for (const dp of metric.histogram.dataPoints ?? []) {
              dataPoints++;
              const labels = (): Record<string, string> => attributeLabels(dp.attributes);
              push(`${name}_count`, labels(), Number(dp.count), delta);
              if (dp.sum !== undefined && dp.sum !== null) push(`${name}_sum`, labels(), dp.sum, delta);
              let cumulative = 0;
              const bounds = dp.explicitBounds ?? [];
              (dp.bucketCounts ?? []).forEach((count, i) => {
                cumulative += Number(count);
                const bound = bounds[i];
                if (bound === undefined && i > bounds.length) return;
                const le = bound === undefined || bound === Infinity ? '+Inf' : String(bound);
                push(`${name}_bucket`, { ...labels(), le }, cumulative, delta);
              });
            }
          } else {
            const why = metric.exponentialHistogram ? 'exponential_histogram' : metric.summary ? 'summary' : 'no_data';
            skipped[why] = (skipped[why] ?? 0) + 1;
          }
        }
      }
    }
    return { samples, dataPoints, skipped };
  }
}

/** Which sender a series came from (a counter reset is per sender): `otlp:<service.name>[/<instance>]`. */
function targetOf(resource: readonly OtlpKeyValue[]): string {
  const attr = (k: string): string | undefined => resource.find((kv) => kv.key === k)?.value?.stringValue;
  const service = attr('service.name') ?? 'unknown_service';
  const instance = attr('service.instance.id');
  return `otlp:${service}${instance ? `/${instance}` : ''}`;
}
