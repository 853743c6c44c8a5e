import type { LatencyRule } from '../../rules/types.js';
import { robustBand, type Band } from '../../model/index.js';
import { increaseBetween, indexAtOrBefore } from '../track.js';
import { COARSE_STEP_MS, warm, type Entity, type KindSpec, type Verdict } from './kind.js';

// Mean latency (histogram sum / count over the window) above its learned robust band: the median
// of the 5-minute means over the baseline plus mad_factor scaled MADs, and at least min_factor times
// the median. PromQL: rate(x_sum[5m]) / rate(x_count[5m]) > quantile_over_time(0.5, mean5m[1d] offset 5m) * 2 ...

const SUM = 'sum';
const COUNT = 'count';

export const latency: KindSpec<LatencyRule> = {
  routes: (rule) => [
    { name: `${rule.metric}_sum`, matchers: rule.matchers, aggregation: 'counter', classify: () => [SUM] },
    { name: `${rule.metric}_count`, matchers: rule.matchers, aggregation: 'counter', classify: () => [COUNT] },
  ],
  fineKeepMs: (rule) => rule.windowMs,
  coarseKeepMs: (rule) => rule.baselineMs + rule.windowMs,
  evaluate(rule, live, nowMs, active) {
    const verdicts: Verdict[] = [];
    for (const [key, ent] of live) {
      // While the alert is active the band stays as it was when it began: a day-long slowdown would
      // otherwise drag the median up within 12 hours and resolve the alert while still slow.
      (ent.memo as { bandFrozen?: boolean }).bandFrozen = active?.(ent.labels) !== undefined;
      if (!warm(ent, rule, nowMs) || !ent.fine[SUM] || !ent.fine[COUNT]) continue;
      const count = increaseBetween(ent.fine[COUNT], nowMs - rule.windowMs, nowMs).delta;
      if (count < rule.minCount) continue;
      const mean = increaseBetween(ent.fine[SUM], nowMs - rule.windowMs, nowMs).delta / count;
      if (mean < rule.minSeconds) continue;
      const band = latencyBand(ent, nowMs, rule);
      if (!band) continue;
      if (mean < band.median * rule.minFactor || mean < band.median + rule.madFactor * band.sigma) continue;
      verdicts.push({ entity: key, labels: { ...ent.labels }, value: mean });
    }
    return verdicts;
  },
  measure(rule, ent, _labels, nowMs) {
    if (!ent.fine[SUM] || !ent.fine[COUNT]) return undefined;
    const count = increaseBetween(ent.fine[COUNT], nowMs - rule.windowMs, nowMs).delta;
    if (count <= 0) return undefined;
    const mean = increaseBetween(ent.fine[SUM], nowMs - rule.windowMs, nowMs).delta / count;
    const band = latencyBand(ent, nowMs, rule, false);
    if (!band) return { value: mean };
    return { value: mean, lower: Math.max(0, band.median - rule.madFactor * band.sigma), upper: Math.max(band.median * rule.minFactor, band.median + rule.madFactor * band.sigma) };
  },
};

/** Band of the 5-minute means before the current window; recomputed once per coarse step (`remember`:
 *  kept in the entity's memo for the next evaluation; reports read it without changing it). */
function latencyBand(ent: Entity, nowMs: number, rule: LatencyRule, remember = true): Band | undefined {
  const memo = ent.memo as { bandAt?: number; band?: Band | null; bandFrozen?: boolean };
  if (memo.bandAt === ent.lastCoarseMs || (memo.bandFrozen && memo.band)) return memo.band ?? undefined;
  const counts = ent.coarse[COUNT];
  const sums = ent.coarse[SUM];
  const means: number[] = [];
  if (counts && sums) {
    const end = nowMs - rule.windowMs;
    const minPer = Math.max(3, (rule.minCount * COARSE_STEP_MS) / rule.windowMs / 2);
    for (let i = 1; i < counts.t.length && counts.t[i]! <= end; i++) {
      const dc = counts.v[i]! - counts.v[i - 1]!;
      if (dc < minPer) continue;
      const a = indexAtOrBefore(sums, counts.t[i - 1]!);
      const b = indexAtOrBefore(sums, counts.t[i]!);
      if (a < 0 || b <= a) continue;
      means.push((sums.v[b]! - sums.v[a]!) / dc);
    }
  }
  const band = robustBand(means, 12);
  if (remember) {
    memo.bandAt = ent.lastCoarseMs;
    memo.band = band ?? null;
  }
  return band;
}
