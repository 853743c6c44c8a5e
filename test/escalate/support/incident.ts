// The partner error-code incident as the detector would report it: several series (operations) of one
// partner go pending -> firing, stay firing, then resolve. Built by hand so the escalation tests do not
// depend on the detector's tuning; the lead may also feed real recordings through the backtest.
import type { AlertEvent, Labels, TransitionState } from '../../../src/detect/types.ts';

export const T0 = Date.UTC(2026, 10, 20, 2, 0, 0); // a night, 02:00 UTC
export const MINUTE = 60_000;

export interface SeriesPlan {
  readonly operation: string;
  readonly pendingAtMin: number;
  readonly firingAtMin: number;
  readonly resolvedAtMin: number;
  readonly extraLabels?: Labels;
}

export function alertId(rule: string, labels: Labels): string {
  const inner = Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`).join(',');
  return `${rule}{${inner}}`;
}

export function event(rule: string, labels: Labels, state: TransitionState, atMs: number, activeSinceMs: number, summary = 'error code changed'): AlertEvent {
  return {
    id: alertId(rule, labels),
    rule,
    state,
    severity: 'critical',
    labels,
    at: new Date(atMs).toISOString(),
    atMs,
    value: state === 'resolved' ? 0 : 0.92,
    summary,
    activeSinceMs,
  };
}

/** Events keyed by the minute (from T0) in which the detector emits them. */
export function errorCodeIncident(partner: string, series: readonly SeriesPlan[], rule = 'error_code_shift'): Map<number, AlertEvent[]> {
  const byMinute = new Map<number, AlertEvent[]>();
  const add = (minute: number, e: AlertEvent) => byMinute.set(minute, [...(byMinute.get(minute) ?? []), e]);
  for (const s of series) {
    const labels: Labels = { partner, operation: s.operation, error_code: '403', previous_error_code: '401', ...s.extraLabels };
    const since = T0 + s.pendingAtMin * MINUTE;
    add(s.pendingAtMin, event(rule, labels, 'pending', since, since));
    add(s.firingAtMin, event(rule, labels, 'firing', T0 + s.firingAtMin * MINUTE, since));
    add(s.resolvedAtMin, event(rule, labels, 'resolved', T0 + s.resolvedAtMin * MINUTE, since));
  }
  return byMinute;
}

/** Three operations of one partner: pending at 0-1m, firing at 3-4m, resolved at 2h05m. */
export function standardIncident(partner = 'elation'): Map<number, AlertEvent[]> {
  return errorCodeIncident(partner, [
    { operation: 'GET /patients/{id}', pendingAtMin: 0, firingAtMin: 3, resolvedAtMin: 125 },
    { operation: 'POST /appointments', pendingAtMin: 0, firingAtMin: 3, resolvedAtMin: 125 },
    { operation: 'GET /labs/{id}/results', pendingAtMin: 1, firingAtMin: 4, resolvedAtMin: 125 },
  ]);
}
