import type { SuccessDropRule } from '../../rules/types.js';
import { poissonCdf } from '../stats.js';
import { increaseBetween, perWindow } from '../track.js';
import { learnSeason, seasonalRatePerMs } from './seasonal.js';
import { TOTAL, warm, type KindSpec, type Verdict } from './kind.js';

// Successes far below normal. "Normal" is judged twice and both must agree, so neither a surge
// ending nor the evening decline pages: the recent level (rate over `history` just before the
// window) and the seasonal level (hour-of-week, else hour-of-day, learned online). Poisson-aware:
// where fewer than `min_expected` successes were expected in the window (quiet partners, nights),
// no count is surprising enough to page.
// PromQL: increase(x[10m]) < 0.25 * increase(x[1h] offset 10m) / 6, and likewise vs offset 1w / 1d.

export const successDrop: KindSpec<SuccessDropRule> = {
  routes: (rule) => [{ name: rule.metric, matchers: rule.matchers, aggregation: 'counter', classify: () => [TOTAL] }],
  fineKeepMs: (rule) => rule.windowMs + rule.historyMs,
  coarseKeepMs: () => 0,
  evaluate(rule, live, nowMs) {
    const verdicts: Verdict[] = [];
    for (const [key, ent] of live) {
      const track = ent.fine[TOTAL];
      if (!track) continue;
      learnSeason(ent, track, nowMs);
      if (!warm(ent, rule, nowMs)) continue;
      const current = increaseBetween(track, nowMs - rule.windowMs, nowMs);
      if (current.spanMs < rule.windowMs * 0.8) continue;
      const observed = Math.round(perWindow(current, rule.windowMs));
      const recent = increaseBetween(track, nowMs - rule.windowMs - rule.historyMs, nowMs - rule.windowMs);
      if (recent.spanMs < rule.historyMs * 0.5) continue;
      const expected = perWindow(recent, rule.windowMs);
      if (expected < rule.minExpected) continue;
      if (!isDrop(observed, expected, rule.dropRatio, rule.pValue)) continue;
      // The season vetoes: a count this low must be surprising for this hour too. An hour never
      // seen (the recording's first day) can only page on a full stop where twice the usual minimum
      // was expected: a surge ending into the evening decline is a 95% drop, but not a stop.
      const seasonal = seasonalRatePerMs(ent, nowMs);
      if (seasonal === undefined ? observed > 0 || expected < 2 * rule.minExpected : !isDrop(observed, seasonal * rule.windowMs, rule.dropRatio, rule.pValue)) continue;
      verdicts.push({ entity: key, labels: { ...ent.labels }, value: expected > 0 ? observed / expected : 0 });
    }
    return verdicts;
  },
  measure(rule, ent, _labels, nowMs) {
    const track = ent.fine[TOTAL];
    if (!track) return undefined;
    const observed = perWindow(increaseBetween(track, nowMs - rule.windowMs, nowMs), rule.windowMs);
    const recent = increaseBetween(track, nowMs - rule.windowMs - rule.historyMs, nowMs - rule.windowMs);
    const expected = perWindow(recent, rule.windowMs);
    const seasonal = seasonalRatePerMs(ent, nowMs);
    const normal = seasonal === undefined ? expected : Math.min(expected, seasonal * rule.windowMs);
    return { value: observed, lower: rule.dropRatio * normal, upper: expected };
  },
};

function isDrop(observed: number, expected: number, dropRatio: number, pValue: number): boolean {
  return observed <= dropRatio * expected && poissonCdf(observed, expected) < pValue;
}
