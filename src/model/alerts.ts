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
  /** What the rule judged at this transition (a resolve: the last judgement while it held). */
  readonly explain?: AlertExplain;
}

/** An alert's reasons, as the detector judged them: the window, what it observed, the normal it
 *  compared against and which reference that was, the band or p-value, and the exit level. */
export interface AlertExplain {
  /** The window the value was measured over (`10m`), when the kind has one. */
  readonly window?: string;
  readonly observed: number;
  /** The counts behind a share (the part, and all calls), or behind a mean (calls). */
  readonly count?: number;
  readonly total?: number;
  /** The normal it was compared with, and where that normal came from. */
  readonly normal?: number;
  readonly reference: string;
  /** The band (or bound) the observed value left. */
  readonly lower?: number;
  readonly upper?: number;
  /** How improbable the observation is under the normal (Poisson). */
  readonly pValue?: number;
  /** A firing alert resolves once the value is back past this level (hysteresis). */
  readonly exit?: number;
  /** slo_burn: the objective (0.995), its error budget (0.005) and the burn rate over each window (`1h`: 15.2). */
  readonly objective?: number;
  readonly errorBudget?: number;
  readonly burnRates?: Readonly<Record<string, number>>;
}
