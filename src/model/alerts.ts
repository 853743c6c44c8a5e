// The words of the alert life cycle, shared by rules (severity), the detector (which emits events),
// escalation and the reports (which consume them).
import type { Labels } from './labels.js';

export type Severity = 'critical' | 'warning';
/** Alert life cycle: inactive -> pending -> firing -> resolved (back to inactive). */
export type AlertLifecycleState = 'inactive' | 'pending' | 'firing';
/** What a transition event reports. */
export type TransitionState = 'pending' | 'firing' | 'resolved';

/** One alert transition. This is exactly the `--json` line of `sentinel backtest` (minus atMs/id/annotations
 *  which drivers may drop), and what escalation consumes. */
export interface AlertEvent {
  /** Stable identity of the alert: rule name + entity labels, e.g. `partner_error_code_shift{partner="acme"}`. */
  readonly id: string;
  readonly rule: string;
  readonly state: TransitionState;
  readonly severity: Severity;
  /** The entity's labels (the rule's `by`: partner, operation, zone, db_operation_name, queue), plus
   *  any the rule adds (e.g. error_code). Never a body, never an identifier from a URL. */
  readonly labels: Labels;
  /** ISO-8601 UTC of the sample that caused the transition. */
  readonly at: string;
  readonly atMs: number;
  /** The rule's measured value at that moment (rate, ratio, seconds, count: the rule says which). */
  readonly value: number;
  readonly summary: string;
  readonly runbook?: string;
  /** When the alert first became pending (ms). */
  readonly activeSinceMs: number;
  /** Highest value seen while the alert was active (optional; added by the detector for incident tables). */
  readonly peak?: number;
}
