import type { TimeoutsRule } from '../../rules/types.js';
import { poissonSurvival } from '../stats.js';
import { increaseBetween } from '../track.js';
import { TOTAL, warm, type KindSpec, type Verdict } from './kind.js';

// An operation starts timing out: timeouts' share of its calls in the window is large, many times
// its trailing normal, and not chance. Reads a histogram's `_count` (or a `_total` counter as is).
// PromQL: sum by (db_operation_name) (increase(x_count{error_type="timeout"}[5m]))
//   / sum by (db_operation_name) (increase(x_count[5m])), against the ratio over [1d] offset 5m.

const TIMEOUT = '__timeouts';

export function countName(metric: string): string {
  return metric.endsWith('_total') || metric.endsWith('_count') ? metric : `${metric}_count`;
}

export const timeouts: KindSpec<TimeoutsRule> = {
  routes: (rule) => [
    {
      name: countName(rule.metric),
      matchers: rule.matchers,
      aggregation: 'counter',
      classify: (labels) => (labels[rule.timeoutLabel] === rule.timeoutValue ? [TOTAL, TIMEOUT] : [TOTAL]),
    },
  ],
  fineKeepMs: (rule) => rule.windowMs,
  coarseKeepMs: (rule) => rule.baselineMs + rule.windowMs,
  evaluate(rule, live, nowMs) {
    const verdicts: Verdict[] = [];
    for (const [key, ent] of live) {
      if (!warm(ent, rule, nowMs) || !ent.fine[TIMEOUT] || !ent.fine[TOTAL]) continue;
      const count = increaseBetween(ent.fine[TIMEOUT], nowMs - rule.windowMs, nowMs).delta;
      if (count < rule.minCount) continue;
      const calls = increaseBetween(ent.fine[TOTAL], nowMs - rule.windowMs, nowMs).delta;
      const ratio = calls > 0 ? count / calls : 1;
      if (ratio < rule.minRatio) continue;
      const end = nowMs - rule.windowMs;
      const baseCalls = ent.coarse[TOTAL] ? increaseBetween(ent.coarse[TOTAL], end - rule.baselineMs, end).delta : 0;
      const baseTimeouts = ent.coarse[TIMEOUT] ? increaseBetween(ent.coarse[TIMEOUT], end - rule.baselineMs, end).delta : 0;
      const normal = baseCalls > 0 ? baseTimeouts / baseCalls : 0;
      if (ratio < rule.factor * normal) continue;
      if (poissonSurvival(count, normal * calls) > 1e-4) continue;
      verdicts.push({ entity: key, labels: { ...ent.labels }, value: ratio });
    }
    return verdicts;
  },
};
