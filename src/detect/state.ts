// Detector state as plain JSON, and back. The engine keeps Maps for speed; a driver that persists
// (the service) asks for JSON only when it writes, and a restart hydrates baselines and active
// alerts, so nothing is relearned and no alert is paged twice.

import type { Rule } from '../rules/types.js';
import { Engine, RuleRuntime, type AlertRecord, type Binding } from './engine.js';
import type { Entity } from './kinds/kind.js';
import type { DetectorState } from './types.js';

export const STATE_VERSION = 1;

interface RuleJson {
  kind: string;
  lastEvalMs: number;
  series: Record<string, Omit<Binding, 'ent'>>;
  entities: Record<string, Entity>;
  alerts: Record<string, AlertRecord>;
}

export interface EngineJson {
  version: number;
  lastEvalMs: number;
  rules: Record<string, RuleJson>;
}

export function engineToJson(engine: Engine): EngineJson {
  const rules: Record<string, RuleJson> = {};
  for (const rt of engine.runtimes) {
    const series: RuleJson['series'] = {};
    for (const [key, b] of rt.series) if (b) series[key] = { e: b.e, subs: b.subs, a: b.a, v: b.v, t: b.t, ...(b.n ? { n: true } : {}) };
    rules[rt.rule.name] = {
      kind: rt.rule.kind,
      lastEvalMs: rt.lastEvalMs,
      series,
      entities: Object.fromEntries(rt.entities),
      alerts: Object.fromEntries(rt.alerts),
    };
  }
  return { version: STATE_VERSION, lastEvalMs: engine.lastEvalMs, rules };
}

/** Rebuilds an engine for `rules` from saved JSON: rules matched by name and kind keep their state. */
export function engineFromJson(rules: readonly Rule[], json: unknown): Engine {
  const saved = isEngineJson(json) ? json : undefined;
  const runtimes = rules.map((rule) => {
    const rt = new RuleRuntime(rule);
    const rj = saved?.rules[rule.name];
    if (!rj || rj.kind !== rule.kind) return rt;
    const copy = structuredClone(rj);
    rt.lastEvalMs = copy.lastEvalMs;
    rt.entities = new Map(Object.entries(copy.entities));
    rt.alerts = new Map(Object.entries(copy.alerts));
    for (const [key, b] of Object.entries(copy.series)) {
      const ent = rt.entities.get(b.e);
      if (!ent) continue;
      rt.series.set(key, { ...b, ent });
      if (b.a === 'counter') for (const sub of b.subs) rt.counterSubs.add(sub);
    }
    return rt;
  });
  const engine = new Engine(rules, runtimes);
  engine.lastEvalMs = saved?.lastEvalMs ?? 0;
  return engine;
}

function isEngineJson(value: unknown): value is EngineJson {
  if (!value || typeof value !== 'object') return false;
  const v = value as Partial<EngineJson>;
  return v.version === STATE_VERSION && typeof v.rules === 'object' && v.rules !== null;
}

/** Reads the engine part out of a DetectorState (fresh state: undefined). */
export function engineJsonOf(state: DetectorState): unknown {
  return (state as { detector?: unknown }).detector;
}
