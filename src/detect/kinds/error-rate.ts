import type { ErrorRateRule } from '../../rules/types.js';
import { TOTAL, warm, type KindSpec, type Verdict } from './kind.js';
import { aboveNormal, EXIT_WINDOW_MS, judgedWindow, exitWindows, judgeShare, judging, markSurging, normalShare, shareExplain, shareKeep, recentCount, surging, windowCount } from './share.js';
import { shareBand } from './share-band.js';

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
      const normal = normalShare(ent, ERR, TOTAL, nowMs, rule);
      // At low rate the window may widen until it holds enough calls (share.ts judgedWindow).
      const { count: errors, total: calls, windowMs } = judgedWindow(ent, ERR, TOTAL, nowMs, rule, normal);
      const state = active?.(ent.labels);
      const significant = calls >= rule.minCalls && errors >= rule.minErrors && surging(errors, calls, normal, rule);
      const abnormal = aboveNormal(errors, calls, normal, rule.factor);
      const seen = state === 'firing' ? { count: windowCount(ent, ERR, nowMs, Math.min(rule.windowMs, EXIT_WINDOW_MS)), total: windowCount(ent, TOTAL, nowMs, Math.min(rule.windowMs, EXIT_WINDOW_MS)) } : { count: errors, total: calls };
      const judged = judgeShare(ent, ERR, { ...seen, normal, significant, sure: significant && errors / calls >= rule.minRatio, sureShare: rule.minRatio, recentCount: recentCount(ent, ERR, nowMs, rule.windowMs / 3), abnormal, ...(state === 'firing' ? { exits: exitWindows(ent, ERR, TOTAL, nowMs, rule.windowMs) } : {}) }, state, rule, nowMs);
      const { holds, value } = judged;
      markSurging(ent, ERR, holds || state !== undefined || judging(ent, ERR) || abnormal, nowMs);
      if (holds) verdicts.push({ entity: key, labels: { ...ent.labels }, value, explain: shareExplain(ent, ERR, { ...rule, windowMs: state === 'firing' ? Math.min(rule.windowMs, EXIT_WINDOW_MS) : windowMs }, { ...seen, normal }, judged, nowMs) });
    }
    return verdicts;
  },
  measure(rule, ent, _labels, nowMs) {
    const calls = windowCount(ent, TOTAL, nowMs, rule.windowMs);
    if (calls <= 0) return undefined;
    const normal = normalShare(ent, ERR, TOTAL, nowMs, rule);
    return { value: windowCount(ent, ERR, nowMs, rule.windowMs) / calls, ...shareBand(normal, calls) };
  },
};
