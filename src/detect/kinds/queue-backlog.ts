import type { QueueBacklogRule } from '../../rules/types.js';
import { robustBand, type Band } from '../../model/index.js';
import { increaseBetween, indexAtOrBefore } from '../track.js';
import { matchersOn, warm, type KindSpec, type Verdict } from './kind.js';

// A queue in trouble: its oldest pending event is too old, or events fail for good (non-retryable or
// retries exhausted), or the backlog grew through the whole window to far above its learned normal.
// The value is the oldest pending event's age in seconds.
// PromQL: max by (queue) (oldest_age) > 900
//   or increase(events_total{outcome="failed"}[15m]) >= 10
//   or (pending > quantile_over_time(0.5, pending[1d]) + 6 * mad and deriv(pending[15m]) > 0)

const PENDING = 'pending';
const OLDEST = 'oldest';
const FAILED = 'failed';

export const queueBacklog: KindSpec<QueueBacklogRule> = {
  routes: (rule) => [
    { name: rule.metric, matchers: rule.matchers, aggregation: 'counter', classify: (l) => (l[rule.outcomeLabel] === rule.failedValue ? [FAILED] : undefined) },
    { name: rule.pendingMetric, matchers: matchersOn(rule.matchers, rule.by), aggregation: 'sum', classify: () => [PENDING] },
    { name: rule.oldestAgeMetric, matchers: matchersOn(rule.matchers, rule.by), aggregation: 'max', classify: () => [OLDEST] },
  ],
  fineKeepMs: (rule) => rule.windowMs,
  coarseKeepMs: (rule) => rule.baselineMs,
  evaluate(rule, live, nowMs, active) {
    const verdicts: Verdict[] = [];
    for (const [key, ent] of live) {
      const oldest = ent.cum[OLDEST] ?? 0;
      const tooOld = oldest * 1000 >= rule.maxOldestAgeMs;
      const failed = ent.fine[FAILED] ? increaseBetween(ent.fine[FAILED], nowMs - rule.windowMs, nowMs).delta : 0;
      const failing = warm(ent, rule, nowMs) && failed >= rule.maxFailed;
      if (tooOld || failing || (warm(ent, rule, nowMs) && growing(ent, nowMs, rule, active?.(ent.labels) !== undefined))) {
        const why = tooOld ? 'max_oldest_age' : failing ? `max_failed (${failed} failed in the window)` : 'the backlog grew through the window, far above its learned normal';
        verdicts.push({ entity: key, labels: { ...ent.labels }, value: oldest, explain: { observed: oldest, count: ent.cum[PENDING] ?? 0, reference: why, upper: rule.maxOldestAgeMs / 1000 } });
      }
    }
    return verdicts;
  },
  measure(rule, ent) {
    return { value: ent.cum[OLDEST] ?? 0, upper: rule.maxOldestAgeMs / 1000 };
  },
};

/** Pending never fell during the window, rose over it, and stands far above its learned normal
 *  (the band as it was when the alert began, while it is active: a backlog must not become normal). */
function growing(ent: Parameters<typeof warm>[0], nowMs: number, rule: QueueBacklogRule, alertActive: boolean): boolean {
  const track = ent.fine[PENDING];
  const pending = ent.cum[PENDING] ?? 0;
  if (!track || pending < rule.minPending) return false;
  const start = indexAtOrBefore(track, nowMs - rule.windowMs);
  if (start < 0 || track.t[start]! < nowMs - rule.windowMs - 120_000) return false;
  for (let i = start + 1; i < track.v.length; i++) if (track.v[i]! < track.v[i - 1]!) return false;
  if (pending <= track.v[start]!) return false;
  const memo = ent.memo as { pendingBand?: Band };
  let band = alertActive ? memo.pendingBand : undefined;
  if (!band) {
    const history = ent.coarse[PENDING];
    band = history ? robustBand(history.v, 12) : undefined;
    if (band) memo.pendingBand = band;
  }
  return band !== undefined && pending > band.median + rule.madFactor * Math.max(band.sigma, 1);
}
