import type { TimeoutsRule } from '../../rules/types.js';
import { TOTAL, warm, type KindSpec, type Verdict } from './kind.js';
import { aboveNormal, baseline, EXIT_WINDOW_MS, judgedWindow, exitWindows, judgeShare, judging, markSurging, normalShare, shareExplain, shareKeep, surging, windowCount } from './share.js';
import { shareBand } from './share-band.js';

const NEW_AFTER_CALLS = 50;

// An operation starts timing out: timeouts' share of its calls in the window is large, many times
// its trailing normal, and not chance. Reads a histogram's `_count` (or a `_total` counter as is).
// PromQL: sum by (db_operation_name) (increase(x_count{error_type="timeout"}[15m]))
//   / sum by (db_operation_name) (increase(x_count[15m])), against the ratio over [1d] offset 15m.

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
  ...shareKeep,
  evaluate(rule, live, nowMs, active) {
    const verdicts: Verdict[] = [];
    for (const [key, ent] of live) {
      if (!warm(ent, rule, nowMs)) continue;
      const base = baseline(ent, TIMEOUT, TOTAL, nowMs, rule);
      const normal = normalShare(ent, TIMEOUT, TOTAL, nowMs, rule);
      // At low rate the window may widen until it holds enough calls (share.ts judgedWindow).
      const { count, total: calls, windowMs } = judgedWindow(ent, TIMEOUT, TOTAL, nowMs, rule, normal);
      // An operation that never timed out in a day of calls: its first timeouts are the news (at
      // night a query may run once in ten minutes, and the page must not wait for a crowd).
      const isNew = base.count === 0 && base.total >= NEW_AFTER_CALLS;
      const state = active?.(ent.labels);
      const significant = count >= rule.minCount && surging(count, calls, normal, rule);
      const sure = count / calls >= rule.minRatio && (isNew ? count >= rule.minCountNew : significant);
      const abnormal = aboveNormal(count, calls, normal, rule.factor);
      const exitCount = state === 'firing' ? windowCount(ent, TIMEOUT, nowMs, Math.min(rule.windowMs, EXIT_WINDOW_MS)) : count;
      const seen = state === 'firing' ? { count: exitCount, total: Math.max(exitCount, windowCount(ent, TOTAL, nowMs, Math.min(rule.windowMs, EXIT_WINDOW_MS))) } : { count, total: calls };
      const judged = judgeShare(ent, TIMEOUT, { ...seen, normal: isNew ? 0 : normal, significant, sure, sureShare: rule.minRatio, recentCount: windowCount(ent, TIMEOUT, nowMs, rule.windowMs / 3), abnormal, ...(state === 'firing' ? { exits: exitWindows(ent, TIMEOUT, TOTAL, nowMs, rule.windowMs) } : {}) }, state, rule, nowMs);
      const { holds, value } = judged;
      markSurging(ent, TIMEOUT, holds || state !== undefined || judging(ent, TIMEOUT) || abnormal, nowMs);
      if (holds) verdicts.push({ entity: key, labels: { ...ent.labels }, value, explain: shareExplain(ent, TIMEOUT, { ...rule, windowMs: state === 'firing' ? Math.min(rule.windowMs, EXIT_WINDOW_MS) : windowMs }, { ...seen, normal }, judged, nowMs) });
    }
    return verdicts;
  },
  measure(rule, ent, _labels, nowMs) {
    const count = windowCount(ent, TIMEOUT, nowMs, rule.windowMs);
    const calls = Math.max(count, windowCount(ent, TOTAL, nowMs, rule.windowMs));
    if (calls <= 0) return undefined;
    const normal = normalShare(ent, TIMEOUT, TOTAL, nowMs, rule);
    return { value: count / calls, ...shareBand(normal, calls) };
  },
};
