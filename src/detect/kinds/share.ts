import { poissonSurvival } from '../../model/index.js';
import { increaseBetween } from '../track.js';
import type { Entity } from './kind.js';

// The test error_code_shift, error_rate and timeouts share: a part (one code, errors, timeouts) of
// an entity's calls in the window, against that part's share over the trailing baseline.

export interface ShareRule {
  readonly windowMs: number;
  readonly baselineMs: number;
  readonly factor: number;
  readonly pValue: number;
}

/**
 * The history the share kinds keep: the window at fine resolution, and twice the baseline behind it
 * coarse, so a baseline frozen at a surge's start (see baseline()) stays readable for a baseline-long surge.
 */
export const shareKeep = {
  fineKeepMs: (rule: ShareRule): number => rule.windowMs,
  coarseKeepMs: (rule: ShareRule): number => 2 * rule.baselineMs + rule.windowMs,
};

/** Count of `sub` in the window ending now (increase of its fine track). */
export function windowCount(ent: Entity, sub: string, nowMs: number, windowMs: number): number {
  const track = ent.fine[sub];
  return track ? increaseBetween(track, nowMs - windowMs, nowMs).delta : 0;
}

/**
 * The part's normal share over the baseline that ends where the window starts, with a half-count
 * prior: a code never seen in 3000 calls has share ~1/6000, so three of them at once is news but a
 * code seen before in the same proportion is not. With no history at all the prior is 0.5: nothing
 * is news until something has been learned.
 */
export function normalShare(ent: Entity, part: string, whole: string, nowMs: number, rule: ShareRule): number {
  const { count, total } = baseline(ent, part, whole, nowMs, rule);
  return (count + 0.5) / (total + 1);
}

/** The part's and the whole's counts over the baseline that ends where the window starts. */
export function baseline(ent: Entity, part: string, whole: string, nowMs: number, rule: ShareRule): { count: number; total: number } {
  // While the part is surging, the baseline stays where it was when the surge began: ten hours of
  // failures must not become the normal the alert is judged against.
  const since = (ent.memo.surgingSince as Record<string, number> | undefined)?.[part];
  const end = Math.min(nowMs, since ?? nowMs) - rule.windowMs;
  const from = end - rule.baselineMs;
  const total = ent.coarse[whole] ? Math.max(0, increaseBetween(ent.coarse[whole], from, end).delta) : 0;
  const count = ent.coarse[part] ? Math.max(0, increaseBetween(ent.coarse[part], from, end).delta) : 0;
  return { count, total };
}

/** Remembers whether the part is surging now, so its baseline stays frozen from the surge's start. */
export function markSurging(ent: Entity, part: string, surgingNow: boolean, nowMs: number): void {
  const since = ent.memo.surgingSince as Record<string, number> | undefined;
  if (surgingNow) ((ent.memo.surgingSince ??= {}) as Record<string, number>)[part] ??= nowMs;
  else if (since !== undefined && part in since) delete since[part];
}

/** True when `count` of `total` is both `factor` times the normal share and improbable under it. */
export function surging(count: number, total: number, normal: number, rule: ShareRule): boolean {
  if (total <= 0) return false;
  if (count / total < rule.factor * normal) return false;
  return poissonSurvival(count, normal * total) <= rule.pValue;
}

/**
 * The condition while the part's alert is active (its baseline frozen at the surge's start): it goes
 * on holding while the part is still `minShare` of the calls and `factor` times its normal share,
 * with no count or Poisson test (at night one failing call in ten minutes is a partner still broken),
 * and through windows with no calls at all (nothing says it recovered). Value: the share, or the last
 * share seen when there were no calls.
 */
export function stillSurging(ent: Entity, part: string, count: number, total: number, minShare: number, normal: number, factor: number): { holds: boolean; value: number } {
  const last = ((ent.memo.lastShare ??= {}) as Record<string, number>);
  if (total <= 0) return { holds: true, value: last[part] ?? 1 };
  const share = count / total;
  last[part] = share;
  return { holds: share >= minShare && share >= factor * normal, value: share };
}
