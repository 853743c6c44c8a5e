import { poissonCdf, poissonSurvival } from '../../model/index.js';
import { increaseBetween } from '../track.js';
import type { AlertExplain } from '../../model/index.js';
import { durationText, TOTAL, type Entity } from './kind.js';

// The test error_code_shift, error_rate and timeouts share: a part (one code, errors, timeouts) of
// an entity's calls in the window, against that part's share over the trailing baseline.

export interface ShareRule {
  readonly windowMs: number;
  readonly baselineMs: number;
  readonly factor: number;
  readonly pValue: number;
}

/**
 * The history the share kinds keep: the widest window at fine resolution, and twice the baseline behind
 * it coarse, so a baseline frozen at a surge's start (see baseline()) stays readable for a baseline-long
 * surge, and the long reference (two baselines) is there to compare with.
 */
export const shareKeep = {
  fineKeepMs: (rule: ShareRule): number => WIDEST * rule.windowMs,
  coarseKeepMs: (rule: ShareRule): number => 2 * rule.baselineMs + WIDEST * rule.windowMs,
};

/** A window with fewer calls than this says little (a partner at one call a minute at night): it widens. */
const ENOUGH_CALLS = 30;
/** ...to at most this many times the rule's window. */
const WIDEST = 3;

/** Count of `sub` in the window ending now (increase of its fine track). */
export function windowCount(ent: Entity, sub: string, nowMs: number, windowMs: number): number {
  const track = ent.fine[sub];
  return track ? increaseBetween(track, nowMs - windowMs, nowMs).delta : 0;
}

/** Count of `sub` known to fall in the short window ending now: 0 when the samples around it are more
 *  than twice the window apart (after a scrape gap the increase may have come at any time in the gap). */
export function recentCount(ent: Entity, sub: string, nowMs: number, windowMs: number): number {
  const track = ent.fine[sub];
  if (!track) return 0;
  const inc = increaseBetween(track, nowMs - windowMs, nowMs);
  return inc.spanMs > 2 * windowMs ? 0 : inc.delta;
}

/** The evidence for one part: its count and the whole's in the window judged. */
export interface WindowEvidence {
  readonly windowMs: number;
  readonly count: number;
  readonly total: number;
}

/**
 * The window the entry is judged over: the rule's window, or, when that holds fewer than ENOUGH_CALLS
 * calls and is not certain (p_value), 2 or 3 times it (the first to hold enough, else the widest) if the part's count is less
 * likely by chance there (Poisson at the normal share). A low-rate entity gathers enough evidence for a
 * slow ramp to be certain; a sharp change, clearer in the short window, is judged there as before.
 */
export function judgedWindow(ent: Entity, part: string, whole: string, nowMs: number, rule: ShareRule, normal: number): WindowEvidence {
  const windowMs = rule.windowMs;
  const short = evidence(ent, part, whole, nowMs, windowMs);
  if (short.total >= ENOUGH_CALLS || poissonSurvival(short.count, normal * short.total) <= rule.pValue) return short;
  // A wider window never reaches back into an alert that resolved: its calls were judged, and
  // counting them again would page the same incident twice.
  const firedAt = (ent.memo.firingAt as Record<string, number> | undefined)?.[part];
  const reach = firedAt === undefined ? Infinity : nowMs - firedAt;
  let wide = short;
  for (let k = 2; k <= WIDEST && wide.total < ENOUGH_CALLS && k * windowMs <= reach; k++) wide = evidence(ent, part, whole, nowMs, k * windowMs);
  return wide.count > short.count && poissonSurvival(wide.count, normal * wide.total) < poissonSurvival(short.count, normal * short.total) ? wide : short;
}

function evidence(ent: Entity, part: string, whole: string, nowMs: number, windowMs: number): WindowEvidence {
  const count = windowCount(ent, part, nowMs, windowMs);
  return { windowMs, count, total: Math.max(count, windowCount(ent, whole, nowMs, windowMs)) };
}

/**
 * The part's normal share, with a half-count prior: a code never seen in 3000 calls has share ~1/6000,
 * so three of them at once is news but a code seen before in the same proportion is not. With no
 * history at all the prior is 0.5: nothing is news until something has been learned. The normal is the
 * healthier (lower) of the share over the baseline before the window and over the long reference
 * (LONG_REFERENCE baselines before it, as far as kept): a part that crept up over the last day is
 * judged against the day before too, and a code never seen in two days is rarer than in one.
 */
export function normalShare(ent: Entity, part: string, whole: string, nowMs: number, rule: ShareRule): number {
  return Math.min(priorShare(baseline(ent, part, whole, nowMs, rule)), priorShare(baseline(ent, part, whole, nowMs, rule, LONG_REFERENCE * rule.baselineMs)));
}

/** The long reference spans this many baselines. */
const LONG_REFERENCE = 2;

/** A share from counts, with the half-count prior. */
export function priorShare(base: { count: number; total: number }): number {
  return (base.count + 0.5) / (base.total + 1);
}

/** The part's and the whole's counts over the baseline (or `spanMs`) that ends where the widest window starts. */
export function baseline(ent: Entity, part: string, whole: string, nowMs: number, rule: ShareRule, spanMs = rule.baselineMs): { count: number; total: number } {
  // While the part is surging, the baseline stays where it was when the surge began: ten hours of
  // failures must not become the normal the alert is judged against.
  const since = (ent.memo.surgingSince as Record<string, number> | undefined)?.[part];
  const end = Math.min(nowMs, since ?? nowMs) - WIDEST * rule.windowMs;
  const from = end - spanMs;
  const total = ent.coarse[whole] ? Math.max(0, increaseBetween(ent.coarse[whole], from, end).delta) : 0;
  const count = ent.coarse[part] ? Math.max(0, increaseBetween(ent.coarse[part], from, end).delta) : 0;
  return { count, total };
}

/** After the part was last above its normal, its baseline stays frozen this long: a degradation that
 *  pauses (a ramp at night, a few quiet minutes) must not become the normal it is judged against. */
const UNFREEZE_AFTER_MS = 2 * 3_600_000;

/** Remembers whether the part is surging (or above normal) now, so its baseline stays frozen from the
 *  surge's start until it has been back to normal for UNFREEZE_AFTER_MS. */
export function markSurging(ent: Entity, part: string, surgingNow: boolean, nowMs: number): void {
  const since = ent.memo.surgingSince as Record<string, number> | undefined;
  const lastAt = ((ent.memo.surgingAt ??= {}) as Record<string, number>);
  if (surgingNow) {
    ((ent.memo.surgingSince ??= {}) as Record<string, number>)[part] ??= nowMs;
    lastAt[part] = nowMs;
  } else if (since !== undefined && part in since && nowMs - (lastAt[part] ?? 0) > UNFREEZE_AFTER_MS) {
    delete since[part];
    delete lastAt[part];
  }
}

/** The part is above its normal in the window: at least factor x the normal share, and that many is
 *  unlikely by chance (one in a thousand; much looser than paging). */
export function aboveNormal(count: number, total: number, normal: number, factor: number): boolean {
  return count > 0 && count >= factor * normal * total && poissonSurvival(count, normal * total) <= 1e-3;
}

/** True when `count` of `total` is both `factor` times the normal share and improbable under it. */
export function surging(count: number, total: number, normal: number, rule: ShareRule): boolean {
  if (total <= 0) return false;
  if (count / total < rule.factor * normal) return false;
  return poissonSurvival(count, normal * total) <= rule.pValue;
}

/** A firing alert's exit is judged over the window, at most this long (recovery shows in time; the
 *  Poisson guard below keeps a few lucky calls at night from resolving it). */
export const EXIT_WINDOW_MS = 5 * 60_000;

/** A firing share alert resolves only on a count this improbable at its entry level (Poisson CDF). */
const EXIT_P = 0.05;
/** ...and on a count that is plausible at the normal share (Poisson tail above this). */
const NORMAL_AGAIN_P = 0.01;

/** The entry and exit terms every share kind states (see rules/types.ts ShareEntry). */
export interface ShareEntryRule {
  readonly floorShare: number;
  readonly sustainMs: number;
  readonly exitAt: number;
  readonly factor: number;
}

export interface ShareEvidence {
  readonly count: number;
  readonly total: number;
  /** The normal share it is judged against. */
  readonly normal: number;
  /** The full test at the rule's `min_share`: counts, factor, not chance, and the share at least min_share. */
  readonly sure: boolean;
  /** The same counts, factor and not-chance test, at any share from `floor_share` up. */
  readonly significant: boolean;
  /** The share at or above which `sure` holds (min_share / min_ratio). */
  readonly sureShare: number;
  /** The part's count in the last third of the window: a quiet entry needs it still happening. */
  readonly recentCount: number;
  /** The part is above its normal (aboveNormal: p <= 1e-3), short of certain: the sustain counts from here. */
  readonly abnormal?: boolean;
  /** Other evidence says the part is no accident (timeouts of an operation running near its timeout):
   *  it holds at once from floor_share, and enters at floor_share like a quiet entry. */
  readonly explained?: boolean;
  /** Firing: other evidence of a recovery (the operation that ran near its timeout is fast again):
   *  below the exit level, it resolves without waiting for the counts to be improbable. */
  readonly recoveredOtherwise?: boolean;
  /** Firing: the part's and the whole's counts over the longer exit windows (exitWindows()). */
  readonly exits?: readonly WindowEvidence[];
}

/** The longer windows a firing alert's exit is also judged over: 10, 15 ... minutes up to the rule's window. */
export function exitWindows(ent: Entity, part: string, whole: string, nowMs: number, windowMs: number): WindowEvidence[] {
  const out: WindowEvidence[] = [];
  for (let w = 2 * EXIT_WINDOW_MS; w <= windowMs; w += EXIT_WINDOW_MS) out.push(evidence(ent, part, whole, nowMs, w));
  return out;
}

/**
 * Entry and exit (hysteresis) for one part of an entity. Inactive or pending: the condition holds at
 * once when the test is `sure`, or when it is `significant` (certain by its counts, at a share below
 * min_share) and the part has been above normal (or certain) for `sustain` without a break: a code never seen before pages at a few percent, a
 * two-minute blip does not. Firing: it holds until the share is back below the exit level, `exit_at`
 * of the way from normal to the level it entered at (min_share, or floor_share when it entered below it;
 * at least factor x normal),
 * and through windows with no calls at all (nothing says it recovered), and while so few is still
 * likely at the worst share seen while firing. Value: the share.
 */
export function judgeShare(ent: Entity, part: string, ev: ShareEvidence, state: 'pending' | 'firing' | undefined, rule: ShareEntryRule, nowMs: number): { holds: boolean; value: number; exitLevel?: number } {
  const memo = ent.memo as { lastShare?: Record<string, number>; significantSince?: Record<string, number>; significantAt?: Record<string, number>; entryLevel?: Record<string, number>; firedCum?: Record<string, { count: number; total: number }> };
  const last = (memo.lastShare ??= {});
  const since = (memo.significantSince ??= {});
  const seenAt = (memo.significantAt ??= {});
  const entry = (memo.entryLevel ??= {});
  if (state === 'firing') {
    ((ent.memo.firingAt ??= {}) as Record<string, number>)[part] = nowMs;
    const level = Math.max(entry[part] ?? ev.sureShare, rule.factor * ev.normal);
    const exitLevel = ev.normal + rule.exitAt * (level - ev.normal);
    const share = ev.total > 0 ? ev.count / ev.total : last[part] ?? 1;
    if (ev.total > 0) last[part] = share;
    // The part's share over every call since the alert fired: the level a recovery is tested against
    // (the highest share of one short window was noise as often as not, and let a steady 3 % resolve).
    const from = ((memo.firedCum ??= {})[part] ??= { count: ent.cum[part] ?? 0, total: ent.cum[TOTAL] ?? 0 });
    const since = { count: (ent.cum[part] ?? 0) - from.count, total: (ent.cum[TOTAL] ?? 0) - from.total };
    const worst = Math.max(level, since.total >= 10 ? since.count / since.total : 0);
    // Below the exit level in the last 5 and 10 minutes, and that few improbable at the incident's
    // level in one of the exit windows: at night a few calls that happen to succeed are not a
    // recovery, and where 5 minutes hold too few calls to say so a longer window may; one lucky
    // 5-minute window of a share hovering at 30 % is not a recovery either.
    const windows = [ev, ...(ev.exits ?? [])].filter((w) => w.total > 0);
    // "Below" is asked of the last 5 and 10 minutes (a 15-minute window would keep a clean end firing 13 minutes).
    const below = windows.length > 0 && [ev, ...(ev.exits ?? []).slice(0, 1)].every((w) => w.total <= 0 || w.count / w.total < exitLevel);
    // A window speaks for a recovery when its count is improbable at the incident's share and not itself
    // above normal: one timeout in 180 calls where the normal expects 0.007 is the incident going on at
    // a lower level (a share of 3 % has quiet stretches), not the end of it.
    const recovered = below && (ev.recoveredOtherwise === true || windows.some((w) => poissonCdf(w.count, worst * w.total) <= EXIT_P && (w.count === 0 || poissonSurvival(w.count, ev.normal * w.total) > NORMAL_AGAIN_P)));
    return { holds: !recovered, value: share, exitLevel };
  }
  const share = ev.total > 0 ? ev.count / ev.total : 0;
  if (ev.total > 0) last[part] = share;
  const quiet = ev.significant && share >= rule.floorShare;
  // The sustain counts from the first evaluation the part was above normal, not from certainty: at
  // one call a minute certainty takes a few of the part's calls, and those are the sustain already.
  // The part's count when it first was certain: a quiet entry needs more of it since (two stray
  // timeouts of a busy query a minute apart are certain, but nothing follows them).
  const sinceCum = ((ent.memo.sinceCum ??= {}) as Record<string, number>);
  if (quiet || (ev.abnormal && share >= rule.floorShare)) {
    // Above normal again after more than `sustain` without (a scrape gap leaves no evaluation to
    // break it, and the window after the gap still holds what came before): a new sustain.
    if (since[part] !== undefined && nowMs - seenAt[part]! > rule.sustainMs) {
      delete since[part];
      delete sinceCum[part];
    }
    if (quiet && sinceCum[part] === undefined) sinceCum[part] = ent.cum[part] ?? 0;
    since[part] ??= nowMs;
    seenAt[part] = nowMs;
  } else if (since[part] !== undefined && nowMs - seenAt[part]! > rule.sustainMs) {
    // A few evaluations without certainty (low counts at night) do not break the sustain; longer does.
    delete since[part];
    delete seenAt[part];
    delete sinceCum[part];
  }
  // A burst that is over (a partner's deploy blip) stays certain for a window after it ended: the
  // quiet entry also needs the part in the window's last third (once pending, certainty suffices).
  const holds = ev.sure || (ev.explained === true && share >= rule.floorShare) || (quiet && nowMs - since[part]! >= rule.sustainMs && (state === 'pending' || (ev.recentCount > 0 && sinceCum[part] !== undefined && (ent.cum[part] ?? 0) > sinceCum[part]!)));
  // The level it entered at: min_share when sure, floor_share when it entered below it.
  if (holds) entry[part] = Math.max(entry[part] ?? 0, ev.sure ? ev.sureShare : rule.floorShare);
  else if (state === undefined) {
    delete entry[part];
    if (memo.firedCum) delete memo.firedCum[part];
  }
  return { holds, value: share };
}

/** The part is being judged (significant now, or its alert active): its baseline stays frozen. */
export function judging(ent: Entity, part: string): boolean {
  return (ent.memo.significantSince as Record<string, number> | undefined)?.[part] !== undefined;
}

/** What a share kind judged: the window's counts and share, the normal and the baseline it came from
 *  (frozen since a surge began, or trailing), how improbable the count is, and the exit level. */
export function shareExplain(ent: Entity, part: string, rule: ShareRule, ev: { count: number; total: number; normal: number }, judged: { value: number; exitLevel?: number }, nowMs: number): AlertExplain {
  const since = (ent.memo.surgingSince as Record<string, number> | undefined)?.[part];
  const frozen = since !== undefined && since < nowMs;
  return {
    window: durationText(rule.windowMs),
    observed: judged.value,
    count: ev.count,
    total: ev.total,
    normal: ev.normal,
    reference: frozen ? `share over the ${durationText(rule.baselineMs)} before ${new Date(since - rule.windowMs).toISOString()} (frozen)` : `share over the trailing ${durationText(rule.baselineMs)}`,
    pValue: poissonSurvival(ev.count, ev.normal * ev.total),
    ...(judged.exitLevel !== undefined ? { exit: judged.exitLevel } : {}),
  };
}
