import type { ErrorCodeShiftRule } from '../../rules/types.js';
import { TOTAL, warm, type KindSpec, type Verdict } from './kind.js';
import { aboveNormal, EXIT_WINDOW_MS, judgedWindow, exitWindows, judgeShare, judging, markSurging, normalShare, shareExplain, shareKeep, recentCount, surging, windowCount } from './share.js';
import { shareBand } from './share-band.js';

// A code that is new or surging for one partner: its share of the partner's calls in the window is
// large, many times its share over the trailing baseline, and too many to be chance (Poisson).
// PromQL: sum by (partner, error_code) (increase(x{outcome!="success"}[10m])) / on (partner) group_left
//         sum by (partner) (increase(x[10m])), compared with the same ratio over [1d] offset 10m.

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
  ...shareKeep,
  evaluate(rule, live, nowMs, active) {
    const verdicts: Verdict[] = [];
    for (const [key, ent] of live) {
      if (!warm(ent, rule, nowMs)) continue;
      // A firing alert's exit is judged on at most the last 5 minutes: recovery shows in time.
      const exitMs = Math.min(rule.windowMs, EXIT_WINDOW_MS);
      const exitTotal = windowCount(ent, TOTAL, nowMs, exitMs);
      for (const sub in ent.cum) {
        if (!sub.startsWith(CODE)) continue;
        const labels = { ...ent.labels, [rule.codeLabel]: sub.slice(CODE.length) };
        const normal = normalShare(ent, sub, TOTAL, nowMs, rule);
        // At low rate the window may widen until it holds enough calls (share.ts judgedWindow).
        const { count, total, windowMs } = judgedWindow(ent, sub, TOTAL, nowMs, rule, normal);
        const state = active?.(labels);
        const significant = total >= rule.minCount && count >= rule.minCount && surging(count, total, normal, rule);
        const abnormal = aboveNormal(count, total, normal, rule.factor);
        const seen = state === 'firing' ? { count: windowCount(ent, sub, nowMs, exitMs), total: exitTotal } : { count, total };
        const judged = judgeShare(ent, sub, { ...seen, normal, significant, sure: significant && count / total >= rule.minShare, sureShare: rule.minShare, recentCount: recentCount(ent, sub, nowMs, rule.windowMs / 3), abnormal, ...(state === 'firing' ? { exits: exitWindows(ent, sub, TOTAL, nowMs, rule.windowMs) } : {}) }, state, rule, nowMs);
        const { holds, value } = judged;
        markSurging(ent, sub, holds || state !== undefined || judging(ent, sub) || abnormal, nowMs);
        if (holds) verdicts.push({ entity: key, labels, value, explain: shareExplain(ent, sub, { ...rule, windowMs: state === 'firing' ? exitMs : windowMs }, { ...seen, normal }, judged, nowMs) });
      }
    }
    return verdicts;
  },
  chartSeries: (rule, ent) => Object.keys(ent.cum).filter((sub) => sub.startsWith(CODE)).map((sub) => ({ ...ent.labels, [rule.codeLabel]: sub.slice(CODE.length) })),
  measure(rule, ent, labels, nowMs) {
    const sub = CODE + (labels[rule.codeLabel] ?? '');
    const total = windowCount(ent, TOTAL, nowMs, rule.windowMs);
    if (total <= 0) return undefined;
    const normal = normalShare(ent, sub, TOTAL, nowMs, rule);
    return { value: windowCount(ent, sub, nowMs, rule.windowMs) / total, ...shareBand(normal, total) };
  },
};
