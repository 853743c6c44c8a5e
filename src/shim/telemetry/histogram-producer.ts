// Hands the in-place histograms (../histogram.ts) to a MetricReader, our Prometheus exporter, at
// each collection, as the SDK's own histogram data points.
import { ValueType } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, type CollectionResult, type MetricData, type MetricProducer } from '@opentelemetry/sdk-metrics';
import { hrNow, type HistogramFamily, type HrTime } from '../histogram.js';
import { flushPendingCalls } from '../pending-calls.js';
import { registry } from '../registry.js';
import { SCOPE_NAME } from '../types.js';

/** One family as SDK metric data; undefined when no series of it recorded anything yet. */
export function histogramMetricData(family: HistogramFamily, endTime: HrTime): MetricData | undefined {
  const dataPoints = [];
  for (const s of family.series) {
    if (s.count === 0) continue;
    dataPoints.push({
      attributes: s.attrs,
      startTime: s.startTime,
      endTime,
      value: { buckets: { boundaries: family.boundaries, counts: [...s.counts] }, sum: s.sum, count: s.count, min: s.min, max: s.max },
    });
  }
  if (dataPoints.length === 0) return undefined;
  return {
    descriptor: { name: family.name, description: family.description, unit: 's', valueType: ValueType.DOUBLE },
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.HISTOGRAM,
    dataPoints,
  };
}

export function localHistogramProducer(resource: Resource): MetricProducer {
  return {
    async collect(): Promise<CollectionResult> {
      flushPendingCalls(); // also done by the counters' callbacks: whichever the reader runs first
      const end = hrNow();
      const metrics: MetricData[] = [];
      const { requestDurations, dbDurations } = registry();
      for (const family of [requestDurations, dbDurations]) {
        const data = histogramMetricData(family, end);
        if (data) metrics.push(data);
      }
      return { resourceMetrics: { resource, scopeMetrics: [{ scope: { name: SCOPE_NAME }, metrics }] }, errors: [] };
    },
  };
}
