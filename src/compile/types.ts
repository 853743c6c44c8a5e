// The compiler's contract: the rule pack and the escalation policy in, files for Prometheus,
// Alertmanager and Grafana out, plus an honest account of what could not be carried over exactly.

export type CompileTarget = 'prometheus' | 'alertmanager' | 'grafana';
export const COMPILE_TARGETS: readonly CompileTarget[] = ['prometheus', 'alertmanager', 'grafana'];

/**
 * How faithfully one rule (or policy element) was carried over:
 * - `exact`: the same condition, evaluated by Prometheus instead of the embedded detector;
 * - `approximate`: the same idea with a named, bounded difference (said in `reason`);
 * - `not-compiled`: nothing was emitted, because any PromQL would mean something else.
 */
export type Fidelity = 'exact' | 'approximate' | 'not-compiled';

export interface FidelityNote {
  /** Rule name, or `route <n>` / `escalation <receiver> step <n>` for policy elements. */
  readonly subject: string;
  readonly fidelity: Fidelity;
  readonly reason: string;
}

export interface CompileResult {
  /** Relative path -> text, written under `--out`. */
  readonly files: ReadonlyMap<string, string>;
  readonly notes: readonly FidelityNote[];
}

export interface TimeScaleOptions {
  /**
   * Test-only: multiply every duration (windows, baselines, for, keep_firing_for, warm-up, timers) by
   * this factor, so the end-to-end test replays minutes in seconds with the compiler's own output.
   */
  readonly timeScale?: number;
  /** Floor for scaled range windows: a rate needs a few scrapes in its window. */
  readonly minWindowMs?: number;
}
