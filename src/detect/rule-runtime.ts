// One rule's runtime: which series feed which of its entities, the entities' histories, and its
// alerts. Samples go in through bind/observe (the hot path); evaluate() judges every live entity at
// one instant and drives the alert life cycle. Maps for speed; state.ts turns it into plain JSON.

import { matchesLabels } from '../config/index.js';
import type { Rule } from '../rules/types.js';
import type { AlertEvent, AlertExplain, Sample, Severity } from '../model/index.js';
import { alertId, transitionEvent } from './alert-event.js';
import { advanceAlert, type ActiveAlert, type AlertTiming } from './lifecycle.js';
import { kindOf } from './kinds/index.js';
import { COARSE_STEP_MS, type Aggregation, type Entity, type KindSpec, type Measure, type Route } from './kinds/kind.js';
import { MeasureHistory } from './measure-history.js';
import { newTrack, pushPoint } from './track.js';

/** Entities and series unseen this long after going stale are forgotten, baselines included. */
const FORGET_AFTER_MS = 2 * 24 * 3_600_000;

/** How one scraped series feeds the rule: the entity it belongs to and the sub-values it adds to. */
export interface Binding {
  entityKey: string;
  /** The entity's sub-values this series adds to (`__total`, `code:403`, ...). */
  subValues: readonly string[];
  aggregation: Aggregation;
  /** The series' last raw value and its timestamp (0: never seen). */
  lastValue: number;
  lastTimestampMs: number;
  /** Count the first value as an increase: the series was born inside an entity already watched. */
  bornSinceLastScrape?: boolean;
  /** The entity object it feeds (not serialised: found again by entityKey). */
  entity: Entity;
  /** The scrape target the series comes from (recordings have none). */
  target?: string;
}

export interface AlertRecord extends ActiveAlert {
  entity: string;
  /** The last judgement while the condition held (plain JSON). */
  explain?: AlertExplain;
  /** Set when the kind gave this alert a severity other than the rule's (slo_burn tickets). */
  severity?: Severity;
}

export class RuleRuntime {
  readonly spec: KindSpec;
  readonly routes: readonly Route[];
  readonly fineKeepMs: number;
  readonly coarseKeepMs: number;
  readonly timing: AlertTiming;
  /** The rule's value measures a drop, so an alert's peak is its lowest value. */
  readonly lowerIsWorse: boolean;
  /** Series key -> binding, or null for a series the rule read and does not use. */
  series = new Map<string, Binding | null>();
  entities = new Map<string, Entity>();
  alerts = new Map<string, AlertRecord>();
  /** Sub-values fed by counters (not gauges). */
  readonly counterSubs = new Set<string>();
  /** Entities that received samples since the last evaluation. */
  dirty = new Set<Entity>();
  lastEvalMs = 0;
  lastSweepMs = 0;
  /** Resumed from a snapshot whose series were not yet keyed per target: until the first evaluation, a
   *  series new under its per-target key may be an old one (a second replica), not one born since. */
  resumedUnkeyed = false;
  /** Every 5 minutes, each live series' measure, for charts that look back before an alert (memory only). */
  readonly history = new MeasureHistory();
  /** Whether `history` is kept at all (openDetector's measureHistory option). */
  recordsHistory = true;
  /** Scratch maps reused by every evaluation (no allocation per tick). */
  private readonly live = new Map<string, Entity>();
  private readonly holding = new Map<string, { entity: string; labels: Record<string, string>; value: number; explain?: AlertExplain; severity?: Severity }>();

  constructor(readonly rule: Rule) {
    this.spec = kindOf(rule.kind);
    this.routes = this.spec.routes(rule);
    this.fineKeepMs = this.spec.fineKeepMs(rule) + 2 * 60_000;
    this.lowerIsWorse = this.spec.lowerIsWorse?.(rule) ?? false;
    this.timing = { forMs: rule.forMs, keepFiringForMs: rule.keepFiringForMs };
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
      // `by: [__name__]` (a name-pattern rule): one entity per metric.
      const value = name === '__name__' ? sample.name : sample.labels[name] ?? '';
      labels[name] = value;
      key += `${name}=${value}\u0001`;
    }
    let ent = this.entities.get(key);
    // A series appearing in an entity we already watched was created since the last scrape (OTel
    // exports a series from its first increment), so its first value is real news: the first
    // `403`s of a partner. A series of a new entity (or at start-up) may carry history: not a spike.
    const bornSinceLastScrape = !this.resumedUnkeyed && ent !== undefined && this.lastEvalMs > 0 && ent.firstMs < this.lastEvalMs;
    if (!ent) {
      ent = { labels, firstMs: sample.timestampMs, lastSeenMs: sample.timestampMs, cum: {}, fine: {}, coarse: {}, lastCoarseMs: 0, memo: {} };
      this.entities.set(key, ent);
    }
    for (const sub of subs) {
      if (!(sub in ent.cum)) ent.cum[sub] = 0;
      if (route.aggregation === 'counter') this.counterSubs.add(sub);
    }
    return { entityKey: key, subValues: subs, aggregation: route.aggregation, lastValue: 0, lastTimestampMs: 0, bornSinceLastScrape, entity: ent, ...(sample.target !== undefined ? { target: sample.target } : {}) };
  }

  /** A binding saved before series were keyed per target (its key is the bare series): moved to its new
   *  key. Which replica its last value came from is unknown, so the first value read is a new baseline
   *  (one interval's increase is not counted), never an increase from another replica's value. */
  adoptLegacy(series: string, key: string, target: string | undefined): Binding | null | undefined {
    if (series === key) return undefined;
    const legacy = this.series.get(series);
    if (legacy === undefined) return undefined;
    this.series.delete(series);
    if (legacy === null) return null;
    legacy.lastTimestampMs = 0;
    legacy.bornSinceLastScrape = false;
    if (target !== undefined) legacy.target = target;
    return legacy;
  }

  /** The hot path: one sample into its binding and entity. Counter resets count from zero. */
  observe(b: Binding, value: number, timestampMs: number): void {
    const ent = b.entity;
    if (b.aggregation === 'counter') {
      // +Inf or NaN would poison the cumulative sum for good (Inf - Inf): not a counter value.
      if (!Number.isFinite(value)) return;
      const delta = b.lastTimestampMs > 0 ? (value >= b.lastValue ? value - b.lastValue : value) : b.bornSinceLastScrape ? value : 0;
      if (delta > 0) for (let i = 0; i < b.subValues.length; i++) ent.cum[b.subValues[i]!]! += delta;
    }
    b.lastValue = value;
    b.lastTimestampMs = timestampMs;
    if (timestampMs > ent.lastSeenMs) ent.lastSeenMs = timestampMs;
    this.dirty.add(ent);
  }

  /** `unreachable`: scrape targets failing now; alerts of entities they feed are held as they are. */
  evaluate(nowMs: number, events: AlertEvent[], unreachable?: ReadonlySet<string>): void {
    const previousMs = this.lastEvalMs;
    this.lastEvalMs = nowMs;
    this.resumedUnkeyed = false;
    this.refreshGauges(nowMs);
    for (const ent of this.dirty) this.record(ent, nowMs, previousMs);
    this.dirty.clear();

    const live = this.liveAt(nowMs);
    const holding = this.holding;
    holding.clear();
    for (const verdict of this.spec.evaluate(this.rule, live, nowMs, this.isActive)) {
      const labels = { ...verdict.labels, ...this.rule.labels };
      holding.set(alertId(this.rule.name, labels), { entity: verdict.entity, labels, value: verdict.value, ...(verdict.explain ? { explain: verdict.explain } : {}), ...(verdict.severity ? { severity: verdict.severity } : {}) });
    }
    const lowerIsWorse = this.lowerIsWorse;
    for (const [id, held] of holding) {
      const { alert, transition } = advanceAlert(this.alerts.get(id), { holds: true, value: held.value, labels: held.labels, lowerIsWorse }, this.timing, nowMs);
      if (alert) this.alerts.set(id, Object.assign(alert, { entity: held.entity }, held.explain ? { explain: held.explain } : {}, held.severity ? { severity: held.severity } : {}));
      if (transition) events.push(transitionEvent(this.rule, id, alert!, transition, nowMs, held.explain, held.severity));
    }
    const held = unreachable && this.alerts.size > 0 ? this.entitiesOf(unreachable) : undefined;
    for (const [id, record] of this.alerts) {
      if (holding.has(id)) continue;
      // Its target does not answer: no data is not "recovered". Held until it answers (target_down pages).
      if (held?.has(record.entity)) continue;
      // A stale entity stops being evaluated and its alert resolves at once: no data is not "still broken".
      const timing = live.has(record.entity) ? this.timing : { forMs: this.timing.forMs, keepFiringForMs: 0 };
      const { alert, transition } = advanceAlert(record, { holds: false, value: record.value, labels: record.labels, lowerIsWorse }, timing, nowMs);
      if (!alert) this.alerts.delete(id);
      if (transition) events.push(transitionEvent(this.rule, id, record, transition, nowMs, record.explain, record.severity));
    }
    if (this.recordsHistory && this.history.due(nowMs)) this.recordHistory(live, nowMs);
    if (nowMs - this.lastSweepMs > 3_600_000) this.sweep(nowMs);
  }

  /** After the verdicts (kinds update their memo while judging): each live series' value and band now. */
  private recordHistory(live: ReadonlyMap<string, Entity>, nowMs: number): void {
    for (const [key, ent] of live) {
      for (const labels of this.spec.chartSeries?.(this.rule, ent) ?? [ent.labels]) this.history.record(key, labels, this.spec.measure(this.rule, ent, labels, nowMs), nowMs);
    }
    this.history.keepOnly(new Set(live.keys()), nowMs);
  }

  /** Entity keys fed by a series of one of these targets. */
  private entitiesOf(targets: ReadonlySet<string>): Set<string> {
    const keys = new Set<string>();
    for (const b of this.series.values()) if (b?.target !== undefined && targets.has(b.target)) keys.add(b.entityKey);
    return keys;
  }

  /** Gauge entities: the sum (or max) of their live series' last values, recomputed each evaluation. */
  private refreshGauges(nowMs: number): void {
    if (this.routes.every((r) => r.aggregation === 'counter')) return;
    for (const b of this.series.values()) if (b && b.aggregation !== 'counter') for (const s of b.subValues) b.entity.cum[s] = 0;
    for (const b of this.series.values()) {
      if (!b || b.aggregation === 'counter' || nowMs - b.lastTimestampMs > this.rule.staleAfterMs) continue;
      const cum = b.entity.cum;
      for (const s of b.subValues) cum[s] = b.aggregation === 'max' ? Math.max(cum[s]!, b.lastValue) : cum[s]! + b.lastValue;
    }
  }

  /** The entities not stale at nowMs, in insertion order: usually all of them, then the map itself
   *  (no copy per evaluation); else the scratch map filled with the live ones. */
  private liveAt(nowMs: number): ReadonlyMap<string, Entity> {
    const staleAfterMs = this.rule.staleAfterMs;
    let allLive = true;
    for (const ent of this.entities.values()) if (nowMs - ent.lastSeenMs > staleAfterMs) { allLive = false; break; }
    if (allLive) return this.entities;
    const live = this.live;
    live.clear();
    for (const [key, ent] of this.entities) if (nowMs - ent.lastSeenMs <= staleAfterMs) live.set(key, ent);
    return live;
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
    for (const [key, b] of this.series) if (b && b.lastTimestampMs > 0 && nowMs - b.lastTimestampMs > FORGET_AFTER_MS) this.series.delete(key);
    for (const [key, ent] of this.entities) if (nowMs - ent.lastSeenMs > FORGET_AFTER_MS) this.entities.delete(key);
  }

  /** The rule's value and band for the entity an alert is about (reports, charts). Reads only. An
   *  instant before the last evaluation is answered from the 5-minute history (undefined beyond it). */
  measure(labels: Readonly<Record<string, string>>, nowMs: number): Measure | undefined {
    let key = '';
    for (const name of this.rule.by) key += `${name}=${labels[name] ?? ''}\u0001`;
    if (nowMs < this.lastEvalMs) return this.history.at(key, labels, nowMs);
    const ent = this.entities.get(key);
    return ent ? this.spec.measure(this.rule, ent, labels, nowMs) : undefined;
  }
}
