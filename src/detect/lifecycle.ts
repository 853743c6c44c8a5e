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

export interface Advance {
  /** The alert after this evaluation, or undefined when it is inactive (never was, or just resolved). */
  readonly alert: ActiveAlert | undefined;
  readonly transition?: TransitionState;
}

/**
 * One evaluation of one alert. `conditionHolds` is the rule's verdict now; `value` its measured value.
 * - inactive + holds: pending (or straight to firing when `for` is 0);
 * - pending + holds for `for`: firing; pending + not holding: resolved (it never fired, so it never paged);
 * - firing + not holding: stays firing for `keep_firing_for` from the first evaluation that did not hold, then resolved.
 * `lowerIsWorse`: the rule measures a drop (success_drop's observed / expected), so its peak is the lowest value.
 */
export function advanceAlert(
  alert: ActiveAlert | undefined,
  conditionHolds: boolean,
  nowMs: number,
  value: number,
  labels: Record<string, string>,
  forMs: number,
  keepFiringForMs: number,
  lowerIsWorse = false,
): Advance {
  if (!alert) {
    if (!conditionHolds) return { alert: undefined };
    const fresh: ActiveAlert = { state: 'pending', activeSinceMs: nowMs, firedAtMs: 0, keepFiringSinceMs: 0, value, peak: value, labels };
    if (forMs <= 0) {
      fresh.state = 'firing';
      fresh.firedAtMs = nowMs;
      return { alert: fresh, transition: 'firing' };
    }
    return { alert: fresh, transition: 'pending' };
  }
  if (conditionHolds) {
    alert.value = value;
    if (lowerIsWorse ? value < alert.peak : value > alert.peak) alert.peak = value;
    alert.keepFiringSinceMs = 0;
    if (alert.state === 'pending' && nowMs - alert.activeSinceMs >= forMs) {
      alert.state = 'firing';
      alert.firedAtMs = nowMs;
      return { alert, transition: 'firing' };
    }
    return { alert };
  }
  if (alert.state === 'pending') return { alert: undefined, transition: 'resolved' };
  if (alert.keepFiringSinceMs === 0) alert.keepFiringSinceMs = nowMs;
  if (nowMs - alert.keepFiringSinceMs < keepFiringForMs) return { alert };
  return { alert: undefined, transition: 'resolved' };
}
