// Detector state as plain JSON, and back. The engine keeps Maps for speed; a driver that persists
// (the service) asks for JSON only when it writes, and a restart hydrates baselines and active
// alerts, so nothing is relearned and no alert is paged twice. The format is version 1 as first
// written (series bindings keep their compact keys): snapshots saved by earlier versions load as they are.

import type { Rule } from '../rules/types.js';
import { Engine } from './engine.js';
import type { Entity } from './kinds/kind.js';
import { RuleRuntime, type AlertRecord } from './rule-runtime.js';
import type { Aggregation } from './kinds/kind.js';
import type { DetectorState } from './types.js';

export const STATE_VERSION = 1;

/** A series binding on disk: e entity key, subs sub-values, a aggregation, v/t last value and its
 *  timestamp, n counts its first value, g its target (see Binding in rule-runtime.ts). */
interface BindingJson {
  e: string;
  subs: readonly string[];
  a: Aggregation;
  v: number;
  t: number;
  n?: boolean;
  /** The scrape target (absent in recordings and in snapshots written before series were per target). */
  g?: string;
}

interface RuleJson {
  kind: string;
  lastEvalMs: number;
  series: Record<string, BindingJson>;
  entities: Record<string, Entity>;
  alerts: Record<string, AlertRecord>;
}

interface EngineJson {
  version: number;
  lastEvalMs: number;
  rules: Record<string, RuleJson>;
}

/** `copy: false` shares the engine's objects: only for a caller that serialises before the next step. */
export function stateOf(engine: Engine, copy = true): DetectorState {
  return { version: STATE_VERSION, detector: engineToJson(engine, copy) };
}

function engineToJson(engine: Engine, copy: boolean): EngineJson {
  const rules: Record<string, RuleJson> = {};
  for (const rt of engine.runtimes) {
    const series: RuleJson['series'] = {};
    for (const [key, b] of rt.series) {
      if (b) series[key] = { e: b.entityKey, subs: b.subValues, a: b.aggregation, v: b.lastValue, t: b.lastTimestampMs, ...(b.bornSinceLastScrape ? { n: true } : {}), ...(b.target !== undefined ? { g: b.target } : {}) };
    }
    rules[rt.rule.name] = {
      kind: rt.rule.kind,
      lastEvalMs: rt.lastEvalMs,
      series,
      entities: Object.fromEntries(rt.entities),
      alerts: Object.fromEntries(rt.alerts),
    };
  }
  const json = { version: STATE_VERSION, lastEvalMs: engine.lastEvalMs, rules };
  return copy ? structuredClone(json) : json;
}

/** An engine for `rules` from a saved state (none: fresh). Rules matched by name and kind keep their
 *  state; a rule that is new, or changed kind, starts learning. */
export function engineFromState(rules: readonly Rule[], state: DetectorState | undefined): Engine {
  const saved = state ? engineJsonOf(state) : undefined;
  const runtimes = rules.map((rule) => {
    const rt = new RuleRuntime(rule);
    const rj = saved?.rules[rule.name];
    if (!rj || rj.kind !== rule.kind) return rt;
    const copy = structuredClone(rj);
    rt.lastEvalMs = copy.lastEvalMs;
    rt.entities = new Map(Object.entries(copy.entities));
    rt.alerts = new Map(Object.entries(copy.alerts));
    rt.resumedUnkeyed = Object.values(copy.series).some((b) => b.g === undefined);
    for (const [key, b] of Object.entries(copy.series)) {
      const entity = rt.entities.get(b.e);
      if (!entity) continue;
      rt.series.set(key, { entityKey: b.e, subValues: b.subs, aggregation: b.a, lastValue: b.v, lastTimestampMs: b.t, bornSinceLastScrape: b.n === true, entity, ...(b.g !== undefined ? { target: b.g } : {}) });
      if (b.a === 'counter') for (const sub of b.subs) rt.counterSubs.add(sub);
    }
    return rt;
  });
  const engine = new Engine(rules, runtimes);
  engine.lastEvalMs = saved?.lastEvalMs ?? 0;
  return engine;
}

function engineJsonOf(state: DetectorState): EngineJson | undefined {
  const json = (state as { detector?: unknown }).detector;
  if (!json || typeof json !== 'object') return undefined;
  const v = json as Partial<EngineJson>;
  return v.version === STATE_VERSION && typeof v.rules === 'object' && v.rules !== null ? (v as EngineJson) : undefined;
}
