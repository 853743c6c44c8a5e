// The detector's runtime: routes each sample to the rules that read its metric, keeps per-series
// and per-entity state in Maps (fast), evaluates every rule once per evaluation tick, and drives the
// alert life cycle. It converts to and from plain JSON only when a driver asks (see state.ts).

import { matchesLabels } from '../config/index.js';
import type { Rule } from '../rules/types.js';
import { renderSummary } from '../rules/template.js';
import { advanceAlert, type ActiveAlert } from './lifecycle.js';
import { kindOf } from './kinds/index.js';
import { COARSE_STEP_MS, type Aggregation, type Entity, type KindSpec, type Route } from './kinds/kind.js';
import { newTrack, pushPoint } from './track.js';
import type { AlertEvent, Sample, SampleBatch } from '../model/index.js';

/** Evaluations closer than this are skipped (samples still count): 15 s scrapes are judged once a minute. */
export const EVAL_INTERVAL_MS = 50_000;
/** Entities and series unseen this long after going stale are forgotten, baselines included. */
const FORGET_AFTER_MS = 2 * 24 * 3_600_000;

export interface Binding {
  /** Entity key. */
  e: string;
  subs: readonly string[];
  a: Aggregation;
  /** Last raw value and its timestamp (t = 0: never seen). */
  v: number;
  t: number;
  /** Count the first value as an increase: the series was born inside an entity already watched. */
  n?: boolean;
  /** Not serialised: the entity it feeds. */
  ent?: Entity;
}

export interface AlertRecord extends ActiveAlert {
  entity: string;
}

export class RuleRuntime {
  readonly spec: KindSpec;
  readonly routes: readonly Route[];
  readonly fineKeepMs: number;
  readonly coarseKeepMs: number;
  /** The rule's value measures a drop, so an alert's peak is its lowest value. */
  readonly lowerIsWorse: boolean;
  series = new Map<string, Binding | null>();
  entities = new Map<string, Entity>();
  alerts = new Map<string, AlertRecord>();
  /** Sub-values fed by counters (not gauges). */
  readonly counterSubs = new Set<string>();
  /** Entities that received samples since the last evaluation. */
  dirty = new Set<Entity>();
  lastEvalMs = 0;
  lastSweepMs = 0;
  /** Scratch maps reused by every evaluation (no allocation per tick). */
  private readonly live = new Map<string, Entity>();
  private readonly holding = new Map<string, { entity: string; labels: Record<string, string>; value: number }>();

  constructor(readonly rule: Rule) {
    this.spec = kindOf(rule.kind);
    this.routes = this.spec.routes(rule);
    this.fineKeepMs = this.spec.fineKeepMs(rule) + 2 * 60_000;
    this.lowerIsWorse = this.spec.lowerIsWorse?.(rule) ?? false;
    const coarse = this.spec.coarseKeepMs(rule);
    this.coarseKeepMs = coarse > 0 ? coarse + 2 * COARSE_STEP_MS : 0;
  }

  /** The state of the alert with these verdict labels: kinds freeze their normal while it is active. */
  private readonly isActive = (labels: Readonly<Record<string, string>>): 'pending' | 'firing' | undefined =>
    this.alerts.size > 0 ? this.alerts.get(alertId(this.rule.name, { ...labels, ...this.rule.labels }))?.state : undefined;

  /** First sight of a series: does the rule read it, and for which entity? */
  bind(sample: Sample, route: Route): Binding | null {
    if (!matchesLabels(route.matchers, sample.labels)) return null;
    const subs = route.classify(sample.labels);
    if (!subs) return null;
    const labels: Record<string, string> = {};
    let key = '';
    for (const name of this.rule.by) {
      const value = sample.labels[name] ?? '';
      labels[name] = value;
      key += `${name}=${value}\u0001`;
    }
    let ent = this.entities.get(key);
    // A series appearing in an entity we already watched was created since the last scrape (OTel
    // exports a series from its first increment), so its first value is real news: the first
    // `403`s of a partner. A series of a new entity (or at start-up) may carry history: not a spike.
    const bornSinceLastScrape = ent !== undefined && this.lastEvalMs > 0 && ent.firstMs < this.lastEvalMs;
    if (!ent) {
      ent = { labels, firstMs: sample.timestampMs, lastSeenMs: sample.timestampMs, cum: {}, fine: {}, coarse: {}, lastCoarseMs: 0, memo: {} };
      this.entities.set(key, ent);
    }
    for (const sub of subs) {
      if (!(sub in ent.cum)) ent.cum[sub] = 0;
      if (route.aggregation === 'counter') this.counterSubs.add(sub);
    }
    return { e: key, subs, a: route.aggregation, v: 0, t: 0, n: bornSinceLastScrape, ent };
  }

  /** The hot path: one sample into its binding and entity. Counter resets count from zero. */
  observe(b: Binding, value: number, timestampMs: number): void {
    const ent = b.ent!;
    if (b.a === 'counter') {
      const delta = b.t > 0 ? (value >= b.v ? value - b.v : value) : b.n ? value : 0;
      if (delta > 0) for (let i = 0; i < b.subs.length; i++) ent.cum[b.subs[i]!]! += delta;
    }
    b.v = value;
    b.t = timestampMs;
    if (timestampMs > ent.lastSeenMs) ent.lastSeenMs = timestampMs;
    this.dirty.add(ent);
  }

  evaluate(nowMs: number, events: AlertEvent[]): void {
    const previousMs = this.lastEvalMs;
    this.lastEvalMs = nowMs;
    this.refreshGauges(nowMs);
    for (const ent of this.dirty) this.record(ent, nowMs, previousMs);
    this.dirty.clear();

    const live = this.live;
    live.clear();
    for (const [key, ent] of this.entities) if (nowMs - ent.lastSeenMs <= this.rule.staleAfterMs) live.set(key, ent);
    const holding = this.holding;
    holding.clear();
    for (const verdict of this.spec.evaluate(this.rule, live, nowMs, this.isActive)) {
      const labels = { ...verdict.labels, ...this.rule.labels };
      holding.set(alertId(this.rule.name, labels), { entity: verdict.entity, labels, value: verdict.value });
    }
    for (const [id, held] of holding) {
      const before = this.alerts.get(id);
      const { alert, transition } = advanceAlert(before, true, nowMs, held.value, held.labels, this.rule.forMs, this.rule.keepFiringForMs, this.lowerIsWorse);
      if (alert) this.alerts.set(id, Object.assign(alert, { entity: held.entity }));
      if (transition) events.push(this.event(id, alert!, transition, nowMs));
    }
    for (const [id, record] of this.alerts) {
      if (holding.has(id)) continue;
      // A stale entity stops being evaluated and its alert resolves at once: no data is not "still broken".
      const keep = live.has(record.entity) ? this.rule.keepFiringForMs : 0;
      const { alert, transition } = advanceAlert(record, false, nowMs, record.value, record.labels, this.rule.forMs, keep, this.lowerIsWorse);
      if (!alert) this.alerts.delete(id);
      if (transition) events.push(this.event(id, record, transition, nowMs));
    }
    if (nowMs - this.lastSweepMs > 3_600_000) this.sweep(nowMs);
  }

  /** Gauge entities: the sum (or max) of their live series' last values, recomputed each evaluation. */
  private refreshGauges(nowMs: number): void {
    if (this.routes.every((r) => r.aggregation === 'counter')) return;
    for (const b of this.series.values()) if (b && b.a !== 'counter') for (const s of b.subs) b.ent!.cum[s] = 0;
    for (const b of this.series.values()) {
      if (!b || b.a === 'counter' || nowMs - b.t > this.rule.staleAfterMs) continue;
      const cum = b.ent!.cum;
      for (const s of b.subs) cum[s] = b.a === 'max' ? Math.max(cum[s]!, b.v) : cum[s]! + b.v;
    }
  }

  /** Appends the entity's current values to its tracks. Skipped during gaps, so a gap reads as a long span. */
  private record(ent: Entity, nowMs: number, previousMs: number): void {
    const coarseDue = this.coarseKeepMs > 0 && nowMs - ent.lastCoarseMs >= COARSE_STEP_MS;
    for (const sub in ent.cum) {
      const value = ent.cum[sub]!;
      let fine = ent.fine[sub];
      if (!fine) {
        fine = ent.fine[sub] = newTrack();
        // A counter sub born since the last evaluation (a partner's first 403s) was at 0 then:
        // anchor its history there, or its first increase would be the track's starting point.
        if (this.counterSubs.has(sub) && previousMs > 0 && previousMs < nowMs && value > 0) {
          pushPoint(fine, previousMs, 0, this.fineKeepMs);
          if (this.coarseKeepMs > 0) pushPoint((ent.coarse[sub] = newTrack()), previousMs, 0, this.coarseKeepMs);
        }
      }
      pushPoint(fine, nowMs, value, this.fineKeepMs);
      if (coarseDue) pushPoint((ent.coarse[sub] ??= newTrack()), nowMs, value, this.coarseKeepMs);
    }
    if (coarseDue) ent.lastCoarseMs = nowMs;
  }

  /** Forgets series and entities gone for days, so a churning label cannot grow memory forever. */
  private sweep(nowMs: number): void {
    this.lastSweepMs = nowMs;
    for (const [key, b] of this.series) if (b && b.t > 0 && nowMs - b.t > FORGET_AFTER_MS) this.series.delete(key);
    for (const [key, ent] of this.entities) if (nowMs - ent.lastSeenMs > FORGET_AFTER_MS) this.entities.delete(key);
  }

  /** The rule's value and band for the entity an alert is about (reports). */
  measure(labels: Readonly<Record<string, string>>, nowMs: number): import('./kinds/kind.js').Measure | undefined {
    let key = '';
    for (const name of this.rule.by) key += `${name}=${labels[name] ?? ''}\u0001`;
    const ent = this.entities.get(key);
    return ent ? this.spec.measure(this.rule, ent, labels, nowMs) : undefined;
  }

  private event(id: string, alert: ActiveAlert, state: AlertEvent['state'], nowMs: number): AlertEvent {
    const rule = this.rule;
    return {
      id,
      rule: rule.name,
      state,
      severity: rule.severity,
      labels: alert.labels,
      at: new Date(nowMs).toISOString(),
      atMs: nowMs,
      value: alert.value,
      summary: renderSummary(rule.summary, alert.labels, alert.value),
      ...(rule.runbook ? { runbook: rule.runbook } : {}),
      activeSinceMs: alert.activeSinceMs,
      peak: alert.peak,
    };
  }
}

export function alertId(rule: string, labels: Readonly<Record<string, string>>): string {
  const inner = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(',');
  return `${rule}{${inner}}`;
}

/** All rules, indexed by the sample names they read. */
export class Engine {
  readonly runtimes: RuleRuntime[];
  private readonly byName = new Map<string, { rt: RuleRuntime; route: Route }[]>();
  lastEvalMs = 0;

  constructor(readonly rules: readonly Rule[], runtimes?: RuleRuntime[]) {
    this.runtimes = runtimes ?? rules.map((r) => new RuleRuntime(r));
    for (const rt of this.runtimes) {
      for (const route of rt.routes) {
        let list = this.byName.get(route.name);
        if (!list) this.byName.set(route.name, (list = []));
        list.push({ rt, route });
      }
    }
  }

  step(batch: SampleBatch): AlertEvent[] {
    const samples = batch.samples;
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i]!;
      const routes = this.byName.get(s.name);
      if (routes === undefined || Number.isNaN(s.value)) continue;
      for (let j = 0; j < routes.length; j++) {
        const { rt, route } = routes[j]!;
        let b = rt.series.get(s.series);
        if (b === undefined) {
          b = rt.bind(s, route);
          rt.series.set(s.series, b);
        }
        if (b !== null) rt.observe(b, s.value, s.timestampMs);
      }
    }
    const events: AlertEvent[] = [];
    if (batch.atMs - this.lastEvalMs >= EVAL_INTERVAL_MS) {
      this.lastEvalMs = batch.atMs;
      for (const rt of this.runtimes) rt.evaluate(batch.atMs, events);
    }
    return events;
  }
}
