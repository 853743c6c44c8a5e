import type { ErrorRateRule } from '../../rules/types.js';
import { poissonSurvival } from '../stats.js';
import { increaseBetween } from '../track.js';
import { TOTAL, warm, type KindSpec, type Verdict } from './kind.js';

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
  fineKeepMs: (rule) => rule.windowMs,
  coarseKeepMs: (rule) => rule.baselineMs + rule.windowMs,
  evaluate(rule, live, nowMs) {
    const verdicts: Verdict[] = [];
    for (const [key, ent] of live) {
      if (!warm(ent, rule, nowMs) || !ent.fine[ERR] || !ent.fine[TOTAL]) continue;
      const calls = increaseBetween(ent.fine[TOTAL], nowMs - rule.windowMs, nowMs).delta;
      const errors = increaseBetween(ent.fine[ERR], nowMs - rule.windowMs, nowMs).delta;
      if (calls < rule.minCalls || errors < rule.minErrors) continue;
      const ratio = errors / calls;
      if (ratio < rule.minRatio) continue;
      const end = nowMs - rule.windowMs;
      const baseCalls = ent.coarse[TOTAL] ? increaseBetween(ent.coarse[TOTAL], end - rule.baselineMs, end).delta : 0;
      const baseErrors = ent.coarse[ERR] ? increaseBetween(ent.coarse[ERR], end - rule.baselineMs, end).delta : 0;
      const normal = baseCalls > 0 ? baseErrors / baseCalls : 0;
      if (ratio < rule.factor * normal) continue;
      if (poissonSurvival(errors, normal * calls) > 1e-4) continue;
      verdicts.push({ entity: key, labels: { ...ent.labels }, value: ratio });
    }
    return verdicts;
  },
};
