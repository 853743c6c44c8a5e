// The detector, honestly stateful in the manner of Prometheus' AlertingRule: one object per rule set
// that holds its baselines and alerts, stepped by a driver with samples and "now" (batch.atMs: no
// wall clock, no I/O inside). When to evaluate is the driver's decision: `step` evaluates at every
// batch; a driver with its own cadence hands the batches in between to `ingest`.

import type { Rule } from '../rules/types.js';
import type { AlertEvent, SampleBatch } from '../model/index.js';
import { Engine } from './engine.js';
import type { Measure } from './kinds/kind.js';
import { engineFromState, stateOf } from './state.js';
import type { DetectorState } from './types.js';

export type { Measure };

export interface ActiveAlertView {
  readonly id: string;
  readonly rule: string;
  readonly state: 'pending' | 'firing';
  readonly severity: Rule['severity'];
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly activeSinceMs: number;
}

export interface Detector {
  /** Takes the batch's samples and evaluates every rule at batch.atMs; returns the alert transitions. */
  step(batch: SampleBatch): readonly AlertEvent[];
  /** Takes the batch's samples without evaluating (a driver that evaluates less often than it scrapes). */
  ingest(batch: SampleBatch): void;
  /** A plain-JSON copy of everything learned and every active alert; `openDetector(rules, it)` resumes from it.
   *  `{ copy: false }`: no copy, the detector's own objects (serialise it before the next step; the service does). */
  snapshot(options?: { copy?: boolean }): DetectorState;
  /** A reloaded rule set: rules that stay (same name and kind) keep their baselines and alerts. */
  setRules(rules: readonly Rule[]): void;
  activeAlerts(): ActiveAlertView[];
  /** The value and learned band a rule judges an alert's entity by, now (for reports). Changes nothing. */
  measure(rule: string, labels: Readonly<Record<string, string>>, nowMs: number): Measure | undefined;
}

export interface DetectorOptions {
  /** Keep each rule's 5-minute look-back of what it measured (measure-history.ts), so `measure()` can
   *  answer about the last 80 minutes: what a chart drawn at page time needs. Default true; a run that
   *  draws no such chart (a backtest without --notify) turns it off and is about an eighth faster. */
  readonly measureHistory?: boolean;
}

export function openDetector(rules: readonly Rule[], snapshot?: DetectorState, options: DetectorOptions = {}): Detector {
  const withHistory = (e: Engine): Engine => {
    for (const rt of e.runtimes) rt.recordsHistory = options.measureHistory ?? true;
    return e;
  };
  let engine = withHistory(engineFromState(rules, snapshot));
  return {
    step(batch) {
      engine.ingest(batch);
      return engine.evaluate(batch.atMs, batch.unreachableTargets);
    },
    ingest: (batch) => engine.ingest(batch),
    snapshot: (options) => stateOf(engine, options?.copy ?? true),
    setRules(next) {
      engine = withHistory(carryOver(engine, next));
    },
    activeAlerts: () => activeAlertsOf(engine),
    measure: (rule, labels, nowMs) => engine.runtimes.find((rt) => rt.rule.name === rule)?.measure(labels, nowMs),
  };
}

/** The engine for a new rule set, with the state of the rules that stay, samples not yet evaluated included. */
function carryOver(engine: Engine, rules: readonly Rule[]): Engine {
  const next = engineFromState(rules, stateOf(engine));
  for (const rt of next.runtimes) {
    const before = engine.runtimes.find((old) => old.rule.name === rt.rule.name && old.rule.kind === rt.rule.kind);
    if (!before || before.dirty.size === 0) continue;
    for (const [key, ent] of before.entities) if (before.dirty.has(ent)) {
      const moved = rt.entities.get(key);
      if (moved) rt.dirty.add(moved);
    }
  }
  return next;
}

function activeAlertsOf(engine: Engine): ActiveAlertView[] {
  const out: ActiveAlertView[] = [];
  for (const rt of engine.runtimes) {
    for (const [id, a] of rt.alerts) {
      out.push({ id, rule: rt.rule.name, state: a.state, severity: a.severity ?? rt.rule.severity, labels: { ...a.labels }, value: a.value, activeSinceMs: a.activeSinceMs });
    }
  }
  return out;
}
