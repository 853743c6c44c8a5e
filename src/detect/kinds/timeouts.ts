import type { TimeoutsRule } from '../../rules/types.js';
import { TOTAL, warm, type Entity, type KindSpec, type Verdict } from './kind.js';
import { countSeriesName, poissonSurvival, sumSeriesName } from '../../model/index.js';
import { aboveNormal, baseline, EXIT_WINDOW_MS, judgedWindow, exitWindows, judgeShare, judging, markSurging, normalShare, shareExplain, shareKeep, recentCount, surging, windowCount } from './share.js';
import { shareBand } from './share-band.js';

const NEW_AFTER_CALLS = 50;

// An operation starts timing out: timeouts' share of its calls in the window is large, many times
// its trailing normal, and not chance. Reads a histogram's `_count` (or a `_total` counter as is).
// PromQL: sum by (db_operation_name) (increase(x_count{error_type="timeout"}[15m]))
//   / sum by (db_operation_name) (increase(x_count[15m])), against the ratio over [1d] offset 15m.

const TIMEOUT = '__timeouts';
/** Seconds spent in timed-out calls and in the others (the histogram's `_sum`). */
const TIMEOUT_SECONDS = '__timeout_seconds';
const OTHER_SECONDS = '__other_seconds';

/** Near its timeout, a timeout this likely at the operation's normal share is still no news (an
 *  operation that runs close to its timeout every day and times out now and then). */
const NEAR_TIMEOUT_P = 0.01;

/**
 * How close the operation runs to its timeout in the window: the mean duration of the calls that did
 * not time out over the mean duration of those that did (which is the timeout itself, as the client
 * measured it). A query that crept from 50 ms to 24 s of a 30 s timeout is at 0.8; a busy query of
 * 4 ms with a stray lock timeout is at 0.0001. With it, the timeout's own duration (the timed-out calls'
 * mean). Undefined without both kinds of call or their durations.
 */
function nearness(ent: Entity, nowMs: number, windowMs: number, timeouts: number, calls: number): { ratio: number; timeoutSeconds: number } | undefined {
  if (timeouts <= 0 || calls <= timeouts || !ent.fine[TIMEOUT_SECONDS] || !ent.fine[OTHER_SECONDS]) return undefined;
  const timeoutSeconds = windowCount(ent, TIMEOUT_SECONDS, nowMs, windowMs) / timeouts;
  const otherMean = windowCount(ent, OTHER_SECONDS, nowMs, windowMs) / (calls - timeouts);
  return timeoutSeconds > 0 && otherMean >= 0 ? { ratio: otherMean / timeoutSeconds, timeoutSeconds } : undefined;
}

/** A firing alert that ran near its timeout has recovered once its calls are fast again: over the last
 *  10 minutes, or the rule's window where 10 minutes hold fewer, at least two calls, none timed out, and
 *  they took on average under half of `near_timeout` of the timeout. At night a query may run four times
 *  in 15 minutes, too few clean calls to be improbable at 30 % timeouts, but 50 ms calls of a query that
 *  took 24 s are a recovery. */
function fastAgain(ent: Entity, nowMs: number, rule: TimeoutsRule): boolean {
  const timeoutSeconds = ent.memo.nearTimeoutSeconds as number | undefined;
  if (timeoutSeconds === undefined || !ent.fine[OTHER_SECONDS]) return false;
  for (const windowMs of [2 * EXIT_WINDOW_MS, Math.max(2 * EXIT_WINDOW_MS, rule.windowMs)]) {
    const calls = windowCount(ent, TOTAL, nowMs, windowMs);
    if (calls < 2) continue;
    if (windowCount(ent, TIMEOUT, nowMs, windowMs) > 0) return false;
    return windowCount(ent, OTHER_SECONDS, nowMs, windowMs) / calls < (rule.nearTimeout / 2) * timeoutSeconds;
  }
  return false;
}

export const timeouts: KindSpec<TimeoutsRule> = {
  routes: (rule) => {
    const isTimeout = (labels: Readonly<Record<string, string>>): boolean => labels[rule.timeoutLabel] === rule.timeoutValue;
    const counts = { name: countSeriesName(rule.metric), matchers: rule.matchers, aggregation: 'counter' as const, classify: (labels: Readonly<Record<string, string>>) => (isTimeout(labels) ? [TOTAL, TIMEOUT] : [TOTAL]) };
    const sum = rule.nearTimeout > 0 ? sumSeriesName(rule.metric) : undefined;
    if (sum === undefined) return [counts];
    return [counts, { name: sum, matchers: rule.matchers, aggregation: 'counter' as const, classify: (labels: Readonly<Record<string, string>>) => (isTimeout(labels) ? [TIMEOUT_SECONDS] : [OTHER_SECONDS]) }];
  },
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
      // Running into its timeout (the creep before an outage): its first timeouts are no accident.
      const close = rule.nearTimeout > 0 && count >= rule.minCountNew ? nearness(ent, nowMs, windowMs, count, calls) : undefined;
      const near = close !== undefined && close.ratio >= rule.nearTimeout && poissonSurvival(count, normal * calls) <= NEAR_TIMEOUT_P;
      if (near) ent.memo.nearTimeoutSeconds = close.timeoutSeconds;
      else if (state === undefined) delete ent.memo.nearTimeoutSeconds;
      const fast = state === 'firing' && fastAgain(ent, nowMs, rule);
      const exitCount = state === 'firing' ? windowCount(ent, TIMEOUT, nowMs, Math.min(rule.windowMs, EXIT_WINDOW_MS)) : count;
      const seen = state === 'firing' ? { count: exitCount, total: Math.max(exitCount, windowCount(ent, TOTAL, nowMs, Math.min(rule.windowMs, EXIT_WINDOW_MS))) } : { count, total: calls };
      const judged = judgeShare(ent, TIMEOUT, { ...seen, normal: isNew ? 0 : normal, significant, sure, sureShare: rule.minRatio, recentCount: recentCount(ent, TIMEOUT, nowMs, rule.windowMs / 3), abnormal, explained: near, recoveredOtherwise: fast, ...(state === 'firing' ? { exits: exitWindows(ent, TIMEOUT, TOTAL, nowMs, rule.windowMs) } : {}) }, state, rule, nowMs);
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
