import type { ErrorRateRule } from '../../rules/types.js';
import { TOTAL, warm, type KindSpec, type Verdict } from './kind.js';
import { markSurging, normalShare, shareKeep, stillSurging, surging, windowCount } from './share.js';

// Error ratio (every outcome but success / all calls) over the window, against the same ratio over
// the trailing baseline. PromQL: sum by (partner) (increase(x{outcome!="success"}[5m]))
//   / sum by (partner) (increase(x[5m])), compared with the ratio over [1d] offset 5m.

const ERR = '__errors';

export const errorRate: KindSpec<ErrorRateRule> = {
  routes: (rule) => [
    {
      name: rule.metric,
      matchers: rule.matchers,
      aggregation: 'counter',
      classify: (labels) => (labels[rule.outcomeLabel] === rule.successValue ? [TOTAL] : [TOTAL, ERR]),
    },
  ],
  ...shareKeep,
  evaluate(rule, live, nowMs, active) {
    const verdicts: Verdict[] = [];
    for (const [key, ent] of live) {
      if (!warm(ent, rule, nowMs)) continue;
      const calls = windowCount(ent, TOTAL, nowMs, rule.windowMs);
      const errors = windowCount(ent, ERR, nowMs, rule.windowMs);
      const normal = normalShare(ent, ERR, TOTAL, nowMs, rule);
      const state = active?.(ent.labels);
      // A firing alert holds while calls still fail (baseline frozen, no count test: see stillSurging).
      const { holds, value } = state === 'firing'
        ? stillSurging(ent, ERR, errors, calls, rule.minRatio, normal, rule.factor)
        : { holds: calls >= rule.minCalls && errors >= rule.minErrors && errors / calls >= rule.minRatio && surging(errors, calls, normal, rule), value: errors / calls };
      markSurging(ent, ERR, holds || state !== undefined, nowMs);
      if (holds) verdicts.push({ entity: key, labels: { ...ent.labels }, value });
    }
    return verdicts;
  },
  measure(rule, ent, _labels, nowMs) {
    const calls = windowCount(ent, TOTAL, nowMs, rule.windowMs);
    if (calls <= 0) return undefined;
    const normal = normalShare(ent, ERR, TOTAL, nowMs, rule);
    return { value: windowCount(ent, ERR, nowMs, rule.windowMs) / calls, upper: Math.max(rule.minRatio, rule.factor * normal) };
  },
};
