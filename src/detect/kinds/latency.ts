import type { LatencyRule } from '../../rules/types.js';
import { robustBand, type Band } from '../../model/index.js';
import { increaseBetween, indexAtOrBefore } from '../track.js';
import { COARSE_STEP_MS, durationText, warm, type Entity, type KindSpec, type Verdict } from './kind.js';

// Mean latency (histogram sum / count over the window) above its learned robust band: the median
// of the 5-minute means over the baseline plus mad_factor scaled MADs, and at least min_factor times
// the median. PromQL: rate(x_sum[5m]) / rate(x_count[5m]) > quantile_over_time(0.5, mean5m[1d] offset 5m) * 2 ...
// The normal is the healthier (lower median) of that 1-day band and a long reference: the lowest
// band of each of the past 7 days, so a creep over days is judged against last week, not against
// itself. A firing alert holds until the mean is back below exit_at of the way from the median to
// the entry threshold (hysteresis).

const SUM = 'sum';
const COUNT = 'count';
const DAY = 86_400_000;
const REFERENCE_DAYS = 7;

interface DailyBand {
  day: number;
  median: number;
  sigma: number;
}

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
      const state = active?.(ent.labels);
      (ent.memo as { bandFrozen?: boolean }).bandFrozen = state !== undefined;
      if (!warm(ent, rule, nowMs) || !ent.fine[SUM] || !ent.fine[COUNT]) continue;
      const count = increaseBetween(ent.fine[COUNT], nowMs - rule.windowMs, nowMs).delta;
      if (count < rule.minCount) {
        // Too few calls say nothing: a firing alert holds (it resolves on a mean back to normal).
        if (state === 'firing') verdicts.push({ entity: key, labels: { ...ent.labels }, value: (ent.memo.lastMean as number | undefined) ?? 0 });
        continue;
      }
      const mean = increaseBetween(ent.fine[SUM], nowMs - rule.windowMs, nowMs).delta / count;
      ent.memo.lastMean = mean;
      if (mean < rule.minSeconds) continue;
      const recent = latencyBand(ent, nowMs, rule);
      if (!recent) continue;
      const band = healthier(ent, recent, nowMs, state === undefined);
      const entry = Math.max(band.median * rule.minFactor, band.median + rule.madFactor * band.sigma);
      const level = state === 'firing' ? band.median + rule.exitAt * (entry - band.median) : entry;
      if (mean < level) continue;
      const exit = band.median + rule.exitAt * (entry - band.median);
      verdicts.push({
        entity: key, labels: { ...ent.labels }, value: mean,
        explain: { window: durationText(rule.windowMs), observed: mean, count, normal: band.median, reference: band === recent ? `median of the 5-minute means over the trailing ${durationText(rule.baselineMs)}` : 'median of the healthiest day of the past 7 (long reference)', upper: entry, exit },
      });
    }
    return verdicts;
  },
  measure(rule, ent, _labels, nowMs) {
    if (!ent.fine[SUM] || !ent.fine[COUNT]) return undefined;
    const count = increaseBetween(ent.fine[COUNT], nowMs - rule.windowMs, nowMs).delta;
    if (count <= 0) return undefined;
    const mean = increaseBetween(ent.fine[SUM], nowMs - rule.windowMs, nowMs).delta / count;
    const recent = latencyBand(ent, nowMs, rule, false);
    if (!recent) return { value: mean };
    const band = healthier(ent, recent, nowMs, false);
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
      // Both tracks are pushed at the same instants: the same index, unless trimmed apart.
      const a = indexAtOrBefore(sums, counts.t[i - 1]!, i - 1);
      const b = indexAtOrBefore(sums, counts.t[i]!, i);
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

/** The lower-median of the 1-day band and the long reference (the lowest band of each of the past
 *  7 days). `learn`: no alert is active, so today's lowest band may be updated. */
function healthier(ent: Entity, recent: Band, nowMs: number, learn: boolean): { median: number; sigma: number } {
  const memo = ent.memo as { reference?: DailyBand[] };
  const days = (memo.reference ??= []);
  const day = Math.floor(nowMs / DAY);
  if (learn) {
    const today = days.at(-1);
    if (today?.day === day) {
      if (recent.median < today.median) Object.assign(today, { median: recent.median, sigma: recent.sigma });
    } else {
      days.push({ day, median: recent.median, sigma: recent.sigma });
      while (days.length > 0 && days[0]!.day <= day - REFERENCE_DAYS) days.shift();
    }
  }
  let best: { median: number; sigma: number } = recent;
  for (const d of days) if (d.day > day - REFERENCE_DAYS && d.median < best.median) best = d;
  return best;
}
