// The drivers' API: `step(rules, state, batch)`, pure in what it returns (time is batch.atMs, no
// wall clock, no I/O), and `createDetector` for drivers that hold one detector for a whole run.

import type { Rule } from '../rules/types.js';
import { Engine, type RuleRuntime } from './engine.js';
import type { Measure } from './kinds/kind.js';
import { engineFromJson, engineJsonOf, engineToJson, STATE_VERSION } from './state.js';
import type { DetectorState, StepResult } from './types.js';
import type { AlertEvent, SampleBatch } from '../model/index.js';

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
  step(batch: SampleBatch): readonly AlertEvent[];
  /** Plain-JSON state to persist; `createDetector(rules, snapshot)` resumes from it. */
  snapshot(): DetectorState;
  activeAlerts(): ActiveAlertView[];
  /** The value and learned band a rule judges an alert's entity by, now (for reports). */
  measure(rule: string, labels: Readonly<Record<string, string>>, nowMs: number): Measure | undefined;
}

export function initialState(): DetectorState {
  return { version: STATE_VERSION };
}

export function createDetector(rules: readonly Rule[], state?: DetectorState): Detector {
  const engine = state ? engineFromJson(rules, engineJsonOf(state)) : new Engine(rules);
  return {
    step: (batch) => engine.step(batch),
    snapshot: () => ({ version: STATE_VERSION, detector: engineToJson(engine) }),
    activeAlerts: () => activeAlertsOf(engine.runtimes),
    measure: (rule, labels, nowMs) => engine.runtimes.find((rt) => rt.rule.name === rule)?.measure(labels, nowMs),
  };
}

function activeAlertsOf(runtimes: readonly RuleRuntime[]): ActiveAlertView[] {
  const out: ActiveAlertView[] = [];
  for (const rt of runtimes) {
    for (const [id, a] of rt.alerts) {
      out.push({ id, rule: rt.rule.name, state: a.state, severity: rt.rule.severity, labels: a.labels, value: a.value, activeSinceMs: a.activeSinceMs });
    }
  }
  return out;
}

// step(): the engine behind a state object is kept in a WeakMap, so stepping the state a step
// returned costs nothing; any other state (read back from disk) is hydrated first. The returned
// state serialises lazily: JSON.stringify(state) reads its `detector` getter.
const engines = new WeakMap<object, { engine: Engine; rules: readonly Rule[] }>();
const consumed = new WeakSet<object>();

export function step(rules: readonly Rule[], state: DetectorState, batch: SampleBatch): StepResult {
  if (consumed.has(state)) {
    throw new Error('detector state was already stepped: pass the state returned by the last step (or a JSON copy of it)');
  }
  const held = engines.get(state);
  let engine: Engine;
  if (held && held.rules === rules) engine = held.engine;
  else engine = engineFromJson(rules, held ? engineToJson(held.engine) : engineJsonOf(state));
  engines.delete(state);
  if (held) consumed.add(state);
  const events = engine.step(batch);
  const next = liveState(engine);
  engines.set(next, { engine, rules });
  return { state: next, events };
}

function liveState(engine: Engine): DetectorState {
  const state = { version: STATE_VERSION } as { version: number; detector?: unknown };
  Object.defineProperty(state, 'detector', {
    enumerable: true,
    get: () => {
      if (consumed.has(state)) throw new Error('detector state was already stepped: serialise the latest state');
      return engineToJson(engine);
    },
  });
  return state as DetectorState;
}

/** The alerts currently pending or firing in a state (for the service's /api/alerts). */
export function activeAlerts(rules: readonly Rule[], state: DetectorState): ActiveAlertView[] {
  const held = engines.get(state);
  const engine = held ? held.engine : engineFromJson(rules, engineJsonOf(state));
  return activeAlertsOf(engine.runtimes);
}
