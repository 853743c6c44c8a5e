// Successes far below normal. "Normal" is judged twice and both must agree, so neither a surge
// ending nor the evening decline pages: the recent level (rate over `history` just before the
// window, carried along the season's shape) and the seasonal level (hour-of-week, else hour-of-day,
// learned online, robust to an odd hour). Poisson-aware: where fewer than `min_expected` successes
// were expected in the window (quiet partners, nights), no count is surprising enough to page; where
// fewer than 100 were, the window may widen to 2-3x to count enough.
// While the entity's alert is active the normal is frozen at its level when the condition began:
// an outage's own zeros fill `history` within the hour and would otherwise become the normal,
// resolving the alert while nothing succeeds. It resolves once successes really come back.
// PromQL (src/compile/prometheus/success.ts): the rule's window only, the plain recent level.
import type { SuccessDropRule } from '../../rules/types.js';
import { poissonCdf } from '../../model/index.js';
import { increaseBetween, perWindow, type Track } from '../track.js';
import { learnSeason, seasonalRatePerMs, seasonalShapeAt } from './seasonal.js';
import { durationText, TOTAL, warm, type Entity, type KindSpec, type Verdict } from './kind.js';

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
  /** Entered after a partial drop's `sustain` (not as a stop): pending holds on "already unlikely". */
  sustained?: boolean;
}


export const successDrop: KindSpec<SuccessDropRule> = {
  lowerIsWorse: () => true,
  routes: (rule) => [{ name: rule.metric, matchers: rule.matchers, aggregation: 'counter', classify: () => [TOTAL] }],
  fineKeepMs: (rule) => WIDEST * rule.windowMs + rule.historyMs,
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
      // A slot seen once speaks for the hour in the recovery and for a stop; a partial drop needs a
      // slot seen twice (one odd day, a surge, must not make an ordinary evening a drop).
      const seasonal = seasonalRatePerMs(ent, nowMs, 1);
      if (frozen && state === 'firing') {
        delete ent.memo.partial;
        // Still down until the window holds recover_ratio of the frozen normal (carried along the
        // season's shape since it froze: 40 % of a morning rise soon passes 82.5 % of its 09:30 level),
        // or of the season's level now when that is lower (an outage that runs into the evening decline).
        const normal = recoveryNormal(frozen.normal * seasonCarry(ent, frozen.sinceMs, nowMs), seasonal, rule.windowMs);
        if (observed < recoveryShare(rule) * normal) {
          verdicts.push({
            entity: key, labels: { ...ent.labels }, value: observed / frozen.expected,
            explain: { window: durationText(rule.windowMs), observed, normal, reference: `the lower of the ${durationText(rule.historyMs)} level frozen at ${new Date(frozen.sinceMs).toISOString()} and the season now`, exit: recoveryShare(rule) * normal },
          });
        }
        continue;
      }
      // Pending: the full test, against the recent level frozen when it began.
      let level: number | undefined;
      if (frozen) level = frozen.expected;
      else {
        // While a partial drop sustains, its recent level stays where it was when the drop began:
        // the drop must not fill `history` and become the normal it is judged against.
        const partial = ent.memo.partial as Partial | undefined;
        if (partial && nowMs - partial.lastMs > rule.sustainMs / 3) delete ent.memo.partial;
        else if (partial) level = partial.expected;
      }
      const levels: (number | undefined)[] = [];
      const expectedIn = (k: number): number | undefined => (level === undefined ? (levels[k] ??= recentLevel(ent, track, nowMs, rule, k)) : k * level);
      const expected = expectedIn(1);
      if (expected === undefined || expected < rule.minExpected) continue;
      const learned = seasonalRatePerMs(ent, nowMs);
      const season = { any: seasonal === undefined ? undefined : seasonal * rule.windowMs, learned: learned === undefined ? undefined : learned * rule.windowMs };
      const { drop, likely } = dropEvidence(track, nowMs, rule, expectedIn, season);
      // Short of certain, a drop that is already unlikely (p <= 1e-3, against both normals) starts a
      // partial drop's sustain: at a few calls a minute certainty takes longer than the sustain. A partial
      // drop that sustained and went pending holds while it stays that unlikely (`for` must not lapse
      // on one noisy minute); a stop's pending needs certainty each minute (a partner's deploy blip is
      // certain for a minute or two, then only unlikely as it recovers).
      if (!likely) continue;
      // A partial drop (above a quarter of normal) must hold for `sustain` first: a few minutes' dip
      // around the evening decline is not an outage; a stop pages at once. The partial stays through
      // pending, so a lapse resumes against the level from before the drop, not the drop's own.
      const stop = likely.observed <= SURE_RATIO * likely.expected;
      let partial = ent.memo.partial as Partial | undefined;
      if (state === undefined && !stop) partial = (ent.memo.partial ??= { sinceMs: nowMs, lastMs: nowMs, expected } satisfies Partial) as Partial;
      if (partial) partial.lastMs = nowMs;
      if (state === undefined && (!drop || (!stop && nowMs - partial!.sinceMs < rule.sustainMs))) continue;
      if (state !== undefined && !drop && !frozen?.sustained) continue;
      const { k, observed: seen, expected: expectedK } = drop ?? likely;
      ent.memo.frozen ??= { sinceMs: nowMs, expected, normal: seasonal === undefined ? expected : Math.min(expected, seasonal * rule.windowMs), sustained: !stop } satisfies Frozen;
      const normal = seasonal === undefined ? expected : Math.min(expected, seasonal * rule.windowMs);
      verdicts.push({
        entity: key, labels: { ...ent.labels }, value: seen / expectedK,
        explain: {
          window: durationText(k * rule.windowMs), observed: seen, normal: expectedK,
          reference: seasonal === undefined ? `the ${durationText(rule.historyMs)} before the window (no season learned yet)` : `the ${durationText(rule.historyMs)} before the window, and this hour's season (${(k * seasonal * rule.windowMs).toFixed(1)})`,
          lower: rule.dropRatio * k * normal, pValue: poissonCdf(seen, expectedK), exit: recoveryShare(rule) * normal,
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
    if (frozen) return { value: observed, lower: recoveryShare(rule) * recoveryNormal(frozen.normal * seasonCarry(ent, frozen.sinceMs, nowMs), seasonal, rule.windowMs), upper: frozen.normal };
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

/** Below this many successes expected in the window, the test may widen it: a drop to 40 % of four
 *  calls a minute is not certain in 10 minutes (p ~ 1e-3), but is in 20 or 30. */
const WIDEN_BELOW_EXPECTED = 100;
/** ...to at most this many times the rule's window. */
const WIDEST = 3;
/** The looser test that starts a partial drop's sustain (paging still needs `p_value`). */
const LIKELY_P = 1e-3;

/** The recent level, per `k` windows: the rate over `history` just before the last k windows (so it
 *  never overlaps the window it is compared with), carried along the season's shape from the middle
 *  of `history` to the middle of the window where the season knows both: a level taken on the morning
 *  rise trails it, one taken on the evening decline runs ahead of it. The carry may lower the level
 *  freely but raise it only as far as the series itself has shown, its rate in the last window of
 *  `history` (one window: the busiest of several is biased up by its noise); else the season alone
 *  would say both normals (a morning rise an hour late after a daylight-saving change is not a
 *  drop). Undefined when history holds too little. */
function recentLevel(ent: Entity, track: Track, nowMs: number, rule: SuccessDropRule, k: number): number | undefined {
  const w = k * rule.windowMs;
  const endMs = nowMs - w;
  const recent = increaseBetween(track, endMs - rule.historyMs, endMs);
  if (recent.spanMs < rule.historyMs * 0.5) return undefined;
  const level = perWindow(recent, w);
  const carried = level * seasonCarry(ent, endMs - rule.historyMs / 2, nowMs - w / 2);
  if (carried <= level) return carried;
  const last = increaseBetween(track, endMs - rule.windowMs, endMs);
  return last.spanMs < rule.windowMs * 0.8 ? level : Math.max(level, Math.min(carried, perWindow(last, w)));
}

/** How much the season's shape rises (above 1) or falls from one instant to another; 1 where it does
 *  not know both. */
function seasonCarry(ent: Entity, fromMs: number, toMs: number): number {
  const then = seasonalShapeAt(ent, fromMs);
  const now = seasonalShapeAt(ent, toMs);
  return then === undefined || now === undefined || then <= 0 ? 1 : now / then;
}

/**
 * The drop in the rule's window, or in 2 or 3 times it where fewer than WIDEN_BELOW_EXPECTED successes
 * were expected in one and the hour's season is known: the first window in which the count is at most
 * drop_ratio of both normals (the recent level before that window, and the season, scaled) and
 * improbable at `pValue`. A stop (at most a quarter of the recent level) is judged against a slot seen
 * once, a partial drop only against one seen twice; an hour with no slot pages only a full stop.
 */
function dropEvidence(track: Track, nowMs: number, rule: SuccessDropRule, expectedIn: (k: number) => number | undefined, season: { any?: number | undefined; learned?: number | undefined }): { drop?: Evidence; likely?: Evidence } {
  const one = expectedIn(1)!;
  let likely: Evidence | undefined;
  for (let k = 1; k <= WIDEST; k++) {
    if (k > 1 && (one >= WIDEN_BELOW_EXPECTED || season.learned === undefined)) break;
    const w = k * rule.windowMs;
    const current = increaseBetween(track, nowMs - w, nowMs);
    if (current.spanMs < w * 0.8) break;
    const expected = expectedIn(k);
    if (expected === undefined) break;
    const observed = Math.round(perWindow(current, w));
    const p = dropP(observed, expected, rule.dropRatio);
    if (p >= LIKELY_P) continue;
    // The season vetoes: a count this low must be surprising for this hour too. An hour never seen
    // (the recording's first day) can only page on a full stop where twice the usual minimum was
    // expected: a surge ending into the evening decline is a 95% drop, but not a stop.
    const seasonal = observed <= SURE_RATIO * expected ? season.any : season.learned;
    if (seasonal === undefined && (observed > 0 || one < 2 * rule.minExpected)) continue;
    const worst = seasonal === undefined ? p : Math.max(p, dropP(observed, k * seasonal, rule.dropRatio));
    if (worst >= LIKELY_P) continue;
    const found = { k, observed, expected };
    if (worst < rule.pValue) return { drop: found, likely: found };
    likely ??= found;
  }
  return likely ? { likely } : {};
}

interface Evidence { k: number; observed: number; expected: number }

/** The Poisson CDF of so few where at most drop_ratio of normal was seen; 1 (no drop) above it. */
function dropP(observed: number, expected: number, dropRatio: number): number {
  return observed <= dropRatio * expected ? poissonCdf(observed, expected) : 1;
}

