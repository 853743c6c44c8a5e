// All rules, indexed by the sample names they read: ingest() routes each sample to the rules that
// read its metric, evaluate() judges every rule at one instant. When to evaluate is the driver's call.

import type { Rule } from '../rules/types.js';
import type { AlertEvent, SampleBatch } from '../model/index.js';
import { matchesLabels } from '../config/index.js';
import type { Route } from './kinds/kind.js';
import { RuleRuntime } from './rule-runtime.js';

export class Engine {
  readonly runtimes: RuleRuntime[];
  private readonly byName = new Map<string, { rt: RuleRuntime; route: Route }[]>();
  /** Routes that read any metric their name matchers accept (`{__name__=~"..."}`), tried once per new name. */
  private readonly byPattern: { rt: RuleRuntime; route: Route }[] = [];
  /** The last instant evaluate() ran at (0: never). */
  lastEvalMs = 0;

  constructor(readonly rules: readonly Rule[], runtimes?: RuleRuntime[]) {
    this.runtimes = runtimes ?? rules.map((r) => new RuleRuntime(r));
    for (const rt of this.runtimes) {
      for (const route of rt.routes) {
        if (route.nameMatchers) {
          this.byPattern.push({ rt, route });
          continue;
        }
        let list = this.byName.get(route.name);
        if (!list) this.byName.set(route.name, (list = []));
        list.push({ rt, route });
      }
    }
    // A metric some rule names may also be one a name pattern selects.
    if (this.byPattern.length > 0) for (const [name, list] of this.byName) list.push(...this.patternRoutes(name));
  }

  ingest(batch: SampleBatch): void {
    const samples = batch.samples;
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i]!;
      const routes = this.byName.get(s.name) ?? this.routesForNewName(s.name);
      if (routes === undefined || Number.isNaN(s.value)) continue;
      // Per target: two replicas exposing one series are two series, never one that "resets".
      const key = s.target === undefined ? s.series : `${s.target}\u0000${s.series}`;
      for (let j = 0; j < routes.length; j++) {
        const { rt, route } = routes[j]!;
        let b = rt.series.get(key);
        if (b === undefined) {
          b = rt.adoptLegacy(s.series, key, s.target) ?? rt.bind(s, route);
          rt.series.set(key, b);
        }
        if (b !== null) rt.observe(b, s.value, s.timestampMs);
      }
    }
  }

  /** A name no rule names: the pattern routes that accept it, remembered (names are few: one per metric). */
  private routesForNewName(name: string): { rt: RuleRuntime; route: Route }[] | undefined {
    if (this.byPattern.length === 0) return undefined;
    const list = this.patternRoutes(name);
    this.byName.set(name, list);
    return list;
  }

  private patternRoutes(name: string): { rt: RuleRuntime; route: Route }[] {
    const named = { __name__: name };
    return this.byPattern.filter((p) => matchesLabels(p.route.nameMatchers!, named));
  }

  evaluate(nowMs: number, unreachable?: ReadonlySet<string>): AlertEvent[] {
    const events: AlertEvent[] = [];
    this.lastEvalMs = nowMs;
    for (const rt of this.runtimes) rt.evaluate(nowMs, events, unreachable);
    return events;
  }
}
