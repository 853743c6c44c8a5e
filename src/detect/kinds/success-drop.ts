import type { SuccessDropRule } from '../../rules/types.js';
import { poissonCdf } from '../../model/index.js';
import { increaseBetween, perWindow } from '../track.js';
import { learnSeason, seasonalRatePerMs } from './seasonal.js';
import { durationText, TOTAL, warm, type KindSpec, type Verdict } from './kind.js';

// Successes far below normal. "Normal" is judged twice and both must agree, so neither a surge
// ending nor the evening decline pages: the recent level (rate over `history` just before the
// window) and the seasonal level (hour-of-week, else hour-of-day, learned online). Poisson-aware:
// where fewer than `min_expected` successes were expected in the window (quiet partners, nights),
// no count is surprising enough to page.
// While the entity's alert is active the normal is frozen at its level when the condition began:
// an outage's own zeros fill `history` within the hour and would otherwise become the normal,
// resolving the alert while nothing succeeds. It resolves once successes really come back.
// PromQL: increase(x[10m]) < 0.25 * increase(x[1h] offset 10m) / 6, and likewise vs offset 1w / 1d;
// the freeze through ALERTS{alertname=...} and the recording rule's own last value.

/** A partial drop sustaining: since when, last seen, and the recent level when it began. */
interface Partial {
  sinceMs: number;
  lastMs: number;
  expected: number;
}

/** At or below this share of normal a drop is a stop and needs no `sustain`. */
const SURE_RATIO = 0.25;

/** The normal an active alert is judged against (per window), frozen when the condition began. */
interface Frozen {
  sinceMs: number;
  /** The recent level (`history`'s rate, per window) when the condition began. */
  expected: number;
  /** The lower of it and the seasonal level then: what recovery is measured against. */
  normal: number;
}


export const successDrop: KindSpec<SuccessDropRule> = {
  lowerIsWorse: () => true,
  routes: (rule) => [{ name: rule.metric, matchers: rule.matchers, aggregation: 'counter', classify: () => [TOTAL] }],
  fineKeepMs: (rule) => rule.windowMs + rule.historyMs,
  coarseKeepMs: () => 0,
  evaluate(rule, live, nowMs, active) {
    const verdicts: Verdict[] = [];
    for (const [key, ent] of live) {
      const track = ent.fine[TOTAL];
      if (!track) continue;
      // The freeze lasts as long as the alert (pending or firing, keep_firing_for included).
      const state = active?.(ent.labels);
      if (ent.memo.frozen !== undefined && state === undefined) delete ent.memo.frozen;
      const frozen = ent.memo.frozen as Frozen | undefined;
      // Hours an alert was active in are not learned: the outage must not become the hour's normal.
      learnSeason(ent, track, nowMs, frozen !== undefined);
      if (!warm(ent, rule, nowMs)) continue;
      const current = increaseBetween(track, nowMs - rule.windowMs, nowMs);
      if (current.spanMs < rule.windowMs * 0.8) continue;
      const observed = Math.round(perWindow(current, rule.windowMs));
      const seasonal = seasonalRatePerMs(ent, nowMs);
      if (frozen && state === 'firing') {
        // Still down until the window holds recover_ratio of the frozen normal, or of
        // the season's level now when that is lower (an outage that runs into the evening decline).
        const normal = recoveryNormal(frozen.normal, seasonal, rule.windowMs);
        if (observed < recoveryShare(rule) * normal) {
          verdicts.push({
            entity: key, labels: { ...ent.labels }, value: observed / frozen.expected,
            explain: { window: durationText(rule.windowMs), observed, normal, reference: `the lower of the ${durationText(rule.historyMs)} level frozen at ${new Date(frozen.sinceMs).toISOString()} and the season now`, exit: recoveryShare(rule) * normal },
          });
        }
        continue;
      }
      // Pending: the full test, against the recent level frozen when it began.
      let expected: number;
      if (frozen) expected = frozen.expected;
      else {
        const recent = increaseBetween(track, nowMs - rule.windowMs - rule.historyMs, nowMs - rule.windowMs);
        if (recent.spanMs < rule.historyMs * 0.5) continue;
        expected = perWindow(recent, rule.windowMs);
        // While a partial drop sustains, its recent level stays where it was when the drop began:
        // the drop must not fill `history` and become the normal it is judged against.
        const partial = ent.memo.partial as Partial | undefined;
        if (partial && nowMs - partial.lastMs > rule.sustainMs / 3) delete ent.memo.partial;
        else if (partial) expected = partial.expected;
      }
      if (expected < rule.minExpected) continue;
      if (!isDrop(observed, expected, rule.dropRatio, rule.pValue)) continue;
      // The season vetoes: a count this low must be surprising for this hour too. An hour never
      // seen (the recording's first day) can only page on a full stop where twice the usual minimum
      // was expected: a surge ending into the evening decline is a 95% drop, but not a stop.
      if (seasonal === undefined ? observed > 0 || expected < 2 * rule.minExpected : !isDrop(observed, seasonal * rule.windowMs, rule.dropRatio, rule.pValue)) continue;
      // A partial drop (above a quarter of normal) must hold for `sustain` first: a few minutes' dip
      // around the evening decline is not an outage; a stop pages at once.
      if (observed > SURE_RATIO * expected && state === undefined) {
        const partial = (ent.memo.partial ??= { sinceMs: nowMs, lastMs: nowMs, expected } satisfies Partial) as Partial;
        partial.lastMs = nowMs;
        if (nowMs - partial.sinceMs < rule.sustainMs) continue;
      }
      delete ent.memo.partial;
      ent.memo.frozen ??= { sinceMs: nowMs, expected, normal: seasonal === undefined ? expected : Math.min(expected, seasonal * rule.windowMs) } satisfies Frozen;
      const normal = seasonal === undefined ? expected : Math.min(expected, seasonal * rule.windowMs);
      verdicts.push({
        entity: key, labels: { ...ent.labels }, value: observed / expected,
        explain: {
          window: durationText(rule.windowMs), observed, normal: expected,
          reference: seasonal === undefined ? `the ${durationText(rule.historyMs)} before the window (no season learned yet)` : `the ${durationText(rule.historyMs)} before the window, and this hour's season (${(seasonal * rule.windowMs).toFixed(1)})`,
          lower: rule.dropRatio * normal, pValue: poissonCdf(observed, expected), exit: recoveryShare(rule) * normal,
        },
      });
    }
    return verdicts;
  },
  measure(rule, ent, _labels, nowMs) {
    const track = ent.fine[TOTAL];
    if (!track) return undefined;
    const observed = perWindow(increaseBetween(track, nowMs - rule.windowMs, nowMs), rule.windowMs);
    const seasonal = seasonalRatePerMs(ent, nowMs);
    const frozen = ent.memo.frozen as Frozen | undefined;
    if (frozen) return { value: observed, lower: recoveryShare(rule) * recoveryNormal(frozen.normal, seasonal, rule.windowMs), upper: frozen.normal };
    const expected = perWindow(increaseBetween(track, nowMs - rule.windowMs - rule.historyMs, nowMs - rule.windowMs), rule.windowMs);
    const normal = seasonal === undefined ? expected : Math.min(expected, seasonal * rule.windowMs);
    return { value: observed, lower: rule.dropRatio * normal, upper: expected };
  },
};

/** The exit level (hysteresis): recover_ratio of the normal, by default half way from drop_ratio back (rules/defaults.ts). */
function recoveryShare(rule: SuccessDropRule): number {
  return Math.min(1, rule.recoverRatio);
}

function recoveryNormal(frozenNormal: number, seasonalPerMs: number | undefined, windowMs: number): number {
  return seasonalPerMs === undefined ? frozenNormal : Math.min(frozenNormal, seasonalPerMs * windowMs);
}

function isDrop(observed: number, expected: number, dropRatio: number, pValue: number): boolean {
  return observed <= dropRatio * expected && poissonCdf(observed, expected) < pValue;
}

