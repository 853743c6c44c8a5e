// The detector's contract. The detector is a pure step of (state, samples, now), as in
// Prometheus' rules/alerting.go: `sentinel backtest` and `sentinel run` are two thin drivers of it.

/** Label set of one series or one alert. Treat as immutable: the parser shares one object per series. */
export type Labels = Readonly<Record<string, string>>;

/** One sample as exposed: `name` is the Prometheus name as scraped (e.g. `integration_requests_total`,
 *  `db_client_operation_duration_seconds_bucket`), labels exclude `__name__`. */
export interface Sample {
  readonly name: string;
  readonly labels: Labels;
  readonly value: number;
  /** Milliseconds since the epoch. */
  readonly timestampMs: number;
  /** Canonical series identity: name plus labels sorted by name, e.g. `up{job="a"}`. Stable across scrapes. */
  readonly series: string;
  /** Which scrape target the sample came from (a counter reset is per target). Optional in recordings. */
  readonly target?: string;
}

/** The samples of one evaluation instant (one scrape round). `atMs` is "now" for the step. */
export interface SampleBatch {
  readonly atMs: number;
  readonly samples: readonly Sample[];
}

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

/** Opaque to drivers, but always plain JSON (no Maps, no class instances, no functions), so the service
 *  can persist it atomically and restart without relearning baselines from zero. */
export type DetectorState = { readonly version: number } & Record<string, unknown>;

export interface StepResult {
  readonly state: DetectorState;
  readonly events: readonly AlertEvent[];
}
