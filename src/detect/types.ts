// The detector's contract. The detector is a pure step of (state, samples, now), as in
// Prometheus' rules/alerting.go: `sentinel backtest` and `sentinel run` are two thin drivers of it.

import type { AlertEvent } from '../model/index.js';

/** Opaque to drivers, but always plain JSON (no Maps, no class instances, no functions), so the service
 *  can persist it atomically and restart without relearning baselines from zero. */
export type DetectorState = { readonly version: number } & Record<string, unknown>;

export interface StepResult {
  readonly state: DetectorState;
  readonly events: readonly AlertEvent[];
}
