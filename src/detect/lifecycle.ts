// The alert life cycle, after Prometheus' rules/alerting.go: inactive -> pending -> firing -> resolved.
// One function, time as an argument, one event per transition. Plain data so it persists as JSON.

import type { TransitionState } from '../model/index.js';

export interface ActiveAlert {
  state: 'pending' | 'firing';
  /** When the condition first held (pending began). */
  activeSinceMs: number;
  /** When it became firing (0 while pending). */
  firedAtMs: number;
  /** First evaluation at which a firing alert's condition stopped holding (0 while it holds):
   *  keep_firing_for counts from here, as in Prometheus. */
  keepFiringSinceMs: number;
  value: number;
  /** Worst value while active, for incident tables: the highest, or for a drop the lowest. */
  peak: number;
  labels: Record<string, string>;
}

/** What the rule judged at one evaluation, for one alert. */
export interface AlertVerdict {
  /** The rule's condition holds now. */
  readonly holds: boolean;
  /** Its measured value (kept as the alert's value while the condition holds). */
  readonly value: number;
  readonly labels: Record<string, string>;
  /** The value measures a drop (success_drop's observed / expected): the alert's peak is its lowest value. */
  readonly lowerIsWorse?: boolean;
}

/** The rule's `for` and `keep_firing_for`, as Prometheus states them. */
export interface AlertTiming {
  readonly forMs: number;
  readonly keepFiringForMs: number;
}

export interface Advance {
  /** The alert after this evaluation, or undefined when it is inactive (never was, or just resolved). */
  readonly alert: ActiveAlert | undefined;
  readonly transition?: TransitionState;
}

/**
 * One evaluation of one alert at `nowMs`:
 * - inactive + holds: pending (or straight to firing when `for` is 0);
 * - pending + holds for `for`: firing; pending + not holding: resolved (it never fired, so it never paged);
 * - firing + not holding: stays firing for `keep_firing_for` from the first evaluation that did not hold, then resolved.
 */
export function advanceAlert(alert: ActiveAlert | undefined, verdict: AlertVerdict, timing: AlertTiming, nowMs: number): Advance {
  const { holds, value } = verdict;
  if (!alert) {
    if (!holds) return { alert: undefined };
    const fresh: ActiveAlert = { state: 'pending', activeSinceMs: nowMs, firedAtMs: 0, keepFiringSinceMs: 0, value, peak: value, labels: verdict.labels };
    if (timing.forMs <= 0) {
      fresh.state = 'firing';
      fresh.firedAtMs = nowMs;
      return { alert: fresh, transition: 'firing' };
    }
    return { alert: fresh, transition: 'pending' };
  }
  if (holds) {
    alert.value = value;
    if (verdict.lowerIsWorse ? value < alert.peak : value > alert.peak) alert.peak = value;
    alert.keepFiringSinceMs = 0;
    if (alert.state === 'pending' && nowMs - alert.activeSinceMs >= timing.forMs) {
      alert.state = 'firing';
      alert.firedAtMs = nowMs;
      return { alert, transition: 'firing' };
    }
    return { alert };
  }
  if (alert.state === 'pending') return { alert: undefined, transition: 'resolved' };
  if (alert.keepFiringSinceMs === 0) alert.keepFiringSinceMs = nowMs;
  if (nowMs - alert.keepFiringSinceMs < timing.keepFiringForMs) return { alert };
  return { alert: undefined, transition: 'resolved' };
}
