// Keeps charts small: clip a series to the window around its alert, then thin it to a bounded number
// of points by keeping each bucket's lowest and highest value, so spikes and drops stay visible.
import type { ReportPoint } from './types.js';

export function clip(points: readonly ReportPoint[], fromMs: number, toMs: number): ReportPoint[] {
  return points.filter((p) => p[0] >= fromMs && p[0] <= toMs);
}

export function thin(points: readonly ReportPoint[], maxPoints: number): ReportPoint[] {
  if (points.length <= maxPoints) return points.slice();
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const size = points.length / buckets;
  const out: ReportPoint[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size);
    const end = Math.min(points.length, Math.floor((b + 1) * size));
    let lo = -1;
    let hi = -1;
    for (let i = start; i < end; i++) {
      const v = points[i]![1];
      if (v === null || v === undefined) continue;
      if (lo < 0 || v < points[lo]![1]!) lo = i;
      if (hi < 0 || v > points[hi]![1]!) hi = i;
    }
    if (lo < 0) { out.push(points[start]!); continue; }
    if (lo === hi) out.push(points[lo]!);
    else if (lo < hi) out.push(points[lo]!, points[hi]!);
    else out.push(points[hi]!, points[lo]!);
  }
  return out;
}
