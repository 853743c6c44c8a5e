import type { ErrorCodeShiftRule } from '../../rules/types.js';
import { poissonSurvival } from '../stats.js';
import { increaseBetween } from '../track.js';
import { TOTAL, warm, type Entity, type KindSpec, type Verdict } from './kind.js';

// A code that is new or surging for one partner: its share of the partner's calls in the window is
// large, many times its share over the trailing baseline, and too many to be chance (Poisson).
// PromQL: sum by (partner, error_code) (increase(x{outcome!="success"}[5m])) / on (partner) group_left
//         sum by (partner) (increase(x[5m])), compared with the same ratio over [1d] offset 5m.

const CODE = 'code:';

export const errorCodeShift: KindSpec<ErrorCodeShiftRule> = {
  routes: (rule) => [
    {
      name: rule.metric,
      matchers: rule.matchers,
      aggregation: 'counter',
      classify: (labels) => {
        if (labels[rule.outcomeLabel] === rule.successValue) return [TOTAL];
        const code = labels[rule.codeLabel] || labels[rule.outcomeLabel] || 'unknown';
        return [TOTAL, CODE + code];
      },
    },
  ],
  fineKeepMs: (rule) => rule.windowMs,
  coarseKeepMs: (rule) => rule.baselineMs + rule.windowMs,
  evaluate(rule, live, nowMs) {
    const verdicts: Verdict[] = [];
    for (const [key, ent] of live) {
      if (!warm(ent, rule, nowMs)) continue;
      const total = windowCount(ent, TOTAL, nowMs, rule.windowMs);
      if (total < rule.minCount) continue;
      for (const sub in ent.cum) {
        if (!sub.startsWith(CODE)) continue;
        const count = windowCount(ent, sub, nowMs, rule.windowMs);
        if (count < rule.minCount) continue;
        const share = count / total;
        if (share < rule.minShare) continue;
        const normal = baselineShare(ent, sub, nowMs, rule);
        if (share < rule.factor * normal) continue;
        if (poissonSurvival(count, normal * total) > 1e-4) continue;
        verdicts.push({ entity: key, labels: { ...ent.labels, [rule.codeLabel]: sub.slice(CODE.length) }, value: share });
      }
    }
    return verdicts;
  },
};

function windowCount(ent: Entity, sub: string, nowMs: number, windowMs: number): number {
  const track = ent.fine[sub];
  return track ? increaseBetween(track, nowMs - windowMs, nowMs).delta : 0;
}

/** The code's share of all calls over the baseline window that ends where the current window starts. */
function baselineShare(ent: Entity, sub: string, nowMs: number, rule: ErrorCodeShiftRule): number {
  const end = nowMs - rule.windowMs;
  const from = end - rule.baselineMs;
  const total = ent.coarse[TOTAL] ? increaseBetween(ent.coarse[TOTAL], from, end).delta : 0;
  if (total <= 0) return 0;
  const code = ent.coarse[sub] ? increaseBetween(ent.coarse[sub], from, end).delta : 0;
  return code / total;
}
