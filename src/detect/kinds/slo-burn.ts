// An objective's error budget burning too fast: the SRE workbook's multiwindow, multi-burn-rate alert.
// burn = (errors / calls over a window) / (1 - objective); a pair holds when both its long and its
// short window burn faster than its factor (1h and 5m above 14.4x: 2% of a 30d budget in an hour).
// PromQL (as Sloth writes it): (ratio_rate1h > 14.4 * 0.005) and ignoring(sloth_window) (ratio_rate5m > 14.4 * 0.005).
// Windows up to an hour read the fine track; longer ones the 5-minute coarse track, so 3 days of one
// entity are 864 points per counter, never its samples.

import type { BurnWindow, SloBurnRule } from '../../rules/types.js';
import { daysText, SLO_ALERT_LABEL } from '../../rules/slo-schema.js';
import { poissonCdf, type AlertExplain } from '../../model/index.js';
import { formatDuration } from '../../config/index.js';
import { indexAtOrBefore } from '../track.js';
import { TOTAL, type Entity, type KindSpec, type Verdict } from './kind.js';

const ERR = '__errors';
/** Windows this long or shorter are read from the fine track (one point per evaluation). */
const FINE_LIMIT_MS = 3_600_000;

interface Burn {
  readonly errors: number;
  readonly calls: number;
  readonly burn: number;
}

function trackOf(ent: Entity, sub: string, windowMs: number) {
  return windowMs <= FINE_LIMIT_MS ? ent.fine[sub] : ent.coarse[sub];
}

/** Increase of `sub` over the window ending now: its cumulative count now minus the track's point at
 *  or before the window's start (or its oldest: history shorter than the window reads all of it). */
function countOver(ent: Entity, sub: string, nowMs: number, windowMs: number): number {
  const track = trackOf(ent, sub, windowMs);
  if (!track || track.t.length === 0) return 0;
  const i = Math.max(0, indexAtOrBefore(track, nowMs - windowMs));
  return Math.max(0, (ent.cum[sub] ?? 0) - track.v[i]!);
}

/** The share of the window the entity's history covers (1 once it has been watched that long). */
function coverage(ent: Entity, nowMs: number, windowMs: number): number {
  const track = trackOf(ent, TOTAL, windowMs);
  if (!track || track.t.length === 0) return 0;
  return track.t[0]! <= nowMs - windowMs ? 1 : Math.max(0, nowMs - track.t[0]!) / windowMs;
}

/**
 * errors / calls over the window, in budgets. A window longer than the history counts the time not
 * yet watched as calls at the watched rate that burned nothing: 2 failures in the first 30 minutes
 * are not a 6-hour burn, while an outage from the first minute still pages as fast as with history.
 */
function burnOver(ent: Entity, rule: SloBurnRule, nowMs: number, windowMs: number): Burn {
  const calls = countOver(ent, TOTAL, nowMs, windowMs);
  const errors = Math.min(calls, countOver(ent, ERR, nowMs, windowMs));
  return { errors, calls, burn: calls > 0 ? (errors / calls / (1 - rule.objective)) * coverage(ent, nowMs, windowMs) : 0 };
}

interface PairJudgement {
  readonly index: number;
  readonly w: BurnWindow;
  readonly long: Burn;
  readonly short: Burn;
}

/**
 * Entered: both windows above the pair's burn, with enough calls in the short one, and the alert's
 * shortest window (`now`: 5m for the page) not saying it is over. Without that, the 6h/30m pair
 * would hold for the half hour its 30m window takes to empty after an outage, and page again after
 * the 5m window resolved it.
 */
function enters(p: PairJudgement, now: Burn, rule: SloBurnRule): boolean {
  return p.short.calls >= rule.minCalls && p.long.burn > p.w.burn && p.short.burn > p.w.burn && (now.calls < rule.minCalls || now.burn > p.w.burn);
}

/** A recovery must be this improbable at the burn the pair fired at (Poisson CDF of the failures seen). */
const EXIT_P = 0.05;

/** Where a firing pair's evidence of recovery starts: the cumulative counts at the start of the
 *  recent window in which it first went below its exit level. */
interface RecoveryStart {
  errors: number;
  calls: number;
}

/**
 * A pair that fired holds while its long window stays above exit_at of its burn, and so does the
 * alert's shortest window (too few calls there: the pair's short window; too few there too: the long
 * one alone). Below the exit level it still holds while the failures since it went below are likely
 * at the burn it fired at (70 calls of a quiet partner without a failure are no recovery from a 1x
 * burn: 0.35 expected); the evidence grows with every call since, so a real recovery resolves in time.
 */
function stillBurning(p: PairJudgement, now: Burn, rule: SloBurnRule, ent: Entity, recovery: Record<string, RecoveryStart>, key: string): boolean {
  const exit = rule.exitAt * p.w.burn;
  const recent = now.calls >= rule.minCalls ? now : p.short;
  if (p.long.burn <= exit) return false;
  if (recent.calls < rule.minCalls || recent.burn > exit) {
    delete recovery[key];
    return true;
  }
  const errorsNow = ent.cum[ERR] ?? 0;
  const callsNow = ent.cum[TOTAL] ?? 0;
  const start = (recovery[key] ??= { errors: errorsNow - recent.errors, calls: callsNow - recent.calls });
  const calls = callsNow - start.calls;
  return poissonCdf(errorsNow - start.errors, p.w.burn * (1 - rule.objective) * calls) > EXIT_P;
}

type Memo = { sloEntered?: Record<string, number[]>; sloRecovery?: Record<string, RecoveryStart> };

export const sloBurn: KindSpec<SloBurnRule> = {
  routes: (rule) => [
    {
      name: rule.metric,
      matchers: rule.matchers,
      aggregation: 'counter',
      classify: (labels) => (labels[rule.outcomeLabel] === rule.successValue ? [TOTAL] : [TOTAL, ERR]),
    },
  ],
  fineKeepMs: (rule) => Math.max(0, ...windowsOf(rule).filter((ms) => ms <= FINE_LIMIT_MS)),
  coarseKeepMs: (rule) => Math.max(0, ...windowsOf(rule).filter((ms) => ms > FINE_LIMIT_MS)),
  evaluate(rule, live, nowMs, active) {
    const verdicts: Verdict[] = [];
    for (const [key, ent] of live) {
      if (nowMs - ent.firstMs < rule.warmUpMs) continue;
      const pairs = rule.windows.map((w, index): PairJudgement => ({ index, w, long: burnOver(ent, rule, nowMs, w.longMs), short: burnOver(ent, rule, nowMs, w.shortMs) }));
      const memo = ent.memo as Memo;
      const entered = (memo.sloEntered ??= {});
      const recovery = (memo.sloRecovery ??= {});
      for (const alert of ['page', 'ticket'] as const) {
        const mine = pairs.filter((p) => p.w.alert === alert);
        if (mine.length === 0) continue;
        const labels = { ...ent.labels, [SLO_ALERT_LABEL]: alert };
        const state = active?.(labels);
        const now = mine.reduce((a, b) => (b.w.shortMs < a.w.shortMs ? b : a)).short;
        const entering = mine.filter((p) => enters(p, now, rule));
        const held = state === 'firing' ? mine.filter((p) => entering.includes(p) || (entered[alert]?.includes(p.index) && stillBurning(p, now, rule, ent, recovery, `${alert}:${p.index}`))) : entering;
        if (held.length === 0) {
          if (state === undefined) {
            delete entered[alert];
            for (const p of mine) delete recovery[`${alert}:${p.index}`];
          }
          continue;
        }
        entered[alert] = [...new Set([...(entered[alert] ?? []), ...entering.map((p) => p.index)])];
        const lead = held[0]!;
        verdicts.push({ entity: key, labels, value: lead.long.burn, severity: alert === 'page' ? rule.severity : 'warning', explain: sloExplain(rule, lead, pairs) });
      }
    }
    return verdicts;
  },
  measure(rule, ent, alertLabels, nowMs) {
    const w = rule.windows.find((x) => x.alert === alertLabels[SLO_ALERT_LABEL]) ?? rule.windows[0]!;
    const long = burnOver(ent, rule, nowMs, w.longMs);
    return long.calls > 0 ? { value: long.burn, upper: w.burn } : undefined;
  },
};

function windowsOf(rule: SloBurnRule): number[] {
  return rule.windows.flatMap((w) => [w.longMs, w.shortMs]);
}

const percent = (ratio: number): string => `${Number((ratio * 100).toPrecision(4))}%`;
const times = (burn: number): string => `${Number(burn.toPrecision(3))}x`;

/** The lead pair's long window, its burn and counts, the bound and exit, and every window's burn. */
function sloExplain(rule: SloBurnRule, lead: PairJudgement, pairs: readonly PairJudgement[]): AlertExplain {
  const budget = 1 - rule.objective;
  const burnRates: Record<string, number> = {};
  for (const p of pairs) {
    burnRates[formatDuration(p.w.longMs)] = p.long.burn;
    burnRates[formatDuration(p.w.shortMs)] = p.short.burn;
  }
  const rates = Object.entries(burnRates).map(([w, b]) => `${w} ${times(b)}`).join(', ');
  return {
    window: formatDuration(lead.w.longMs),
    observed: lead.long.burn,
    count: lead.long.errors,
    total: lead.long.calls,
    reference: `error budget ${percent(budget)} of calls over ${daysText(rule.periodMs)} (objective ${percent(rule.objective)}); ${lead.w.alert} above ${times(lead.w.burn)} over ${formatDuration(lead.w.longMs)} and ${formatDuration(lead.w.shortMs)}; burn ${rates}`,
    upper: lead.w.burn,
    exit: rule.exitAt * lead.w.burn,
    objective: rule.objective,
    errorBudget: budget,
    burnRates,
  };
}
