// The detector's contract. One detector object per rule set, stepped by a driver with samples and
// "now", as Prometheus' rules/alerting.go is: `sentinel backtest` and `sentinel run` are two thin drivers of it.

/** Opaque to drivers, but always plain JSON (no Maps, no class instances, no functions), so the service
 *  can persist it atomically and restart without relearning baselines from zero. */
export type DetectorState = { readonly version: number } & Record<string, unknown>;

export type { AlertEvent, AlertLifecycleState, Labels, Sample, SampleBatch, Severity, TransitionState } from '../model/index.js';
