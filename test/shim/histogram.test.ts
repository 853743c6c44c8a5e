import { describe, expect, it } from 'vitest';
import { HistogramFamily } from '../../src/shim/histogram.js';
import { histogramMetricData } from '../../src/shim/telemetry/histogram-producer.js';

describe('in-place latency histograms', () => {
  it('counts a value equal to a boundary in that bucket, as Prometheus le= does, and the rest in +Inf', () => {
    const family = new HistogramFamily('db', 'test_seconds', 'test', [0.1, 1]);
    const s = family.newSeries({ q: 'a' });
    for (const v of [0.05, 0.1, 0.5, 1, 7]) s.record(v);
    const data = histogramMetricData(family, [0, 0])!;
    expect(data.dataPoints).toHaveLength(1);
    const point = data.dataPoints[0]!.value as { buckets: { counts: number[] }; count: number; sum: number; min: number; max: number };
    expect(point.buckets.counts).toEqual([2, 2, 1]);
    expect(point.count).toBe(5);
    expect(point.sum).toBeCloseTo(8.65);
    expect([point.min, point.max]).toEqual([0.05, 7]);
  });

  it('leaves series that never recorded out of the export', () => {
    const family = new HistogramFamily('db', 'empty_seconds', 'test', [1]);
    family.newSeries({ q: 'never' });
    expect(histogramMetricData(family, [0, 0])).toBeUndefined();
  });
});
