// What every rule kind tells the engine: which samples it reads and how they aggregate per entity,
// how much history it keeps, and how it judges the entities at one evaluation.

import type { LabelMatcher, Rule } from '../../rules/types.js';
import type { AlertExplain, Severity } from '../../model/index.js';
import type { Track } from '../track.js';

/** How a series feeds its entity: a counter's increases are summed; a gauge's level is summed or maxed. */
export type Aggregation = 'counter' | 'sum' | 'max';

export interface Route {
  /** Sample name as scraped (`db_client_operation_duration_seconds_count`). */
  readonly name: string;
  readonly matchers: readonly LabelMatcher[];
  /** When set, the route reads every metric whose name these accept (`{__name__=~"..."}`) and `name` is unused. */
  readonly nameMatchers?: readonly LabelMatcher[];
  readonly aggregation: Aggregation;
  /** The entity's sub-values this series adds to (e.g. `__total` and its error code), or undefined to skip it. */
  classify(labels: Readonly<Record<string, string>>): readonly string[] | undefined;
}

/** Per-entity state: plain JSON. Entities are the rule's `by` label values (one partner, one zone). */
export interface Entity {
  labels: Record<string, string>;
  firstMs: number;
  lastSeenMs: number;
  /** Counters: cumulative increase per sub-value since the entity was first seen (never decreases). */
  cum: Record<string, number>;
  /** Fine history, one point per evaluation, kept for the rule's short windows. */
  fine: Record<string, Track>;
  /** Coarse history, one point per 5 minutes, kept for the rule's baseline. */
  coarse: Record<string, Track>;
  lastCoarseMs: number;
  /** Kind-specific learned state (seasonal slots, cached bands). */
  memo: Record<string, unknown>;
}

export interface Verdict {
  /** Entity key (for staleness) and the alert's labels (entity labels plus e.g. error_code). */
  readonly entity: string;
  readonly labels: Record<string, string>;
  readonly value: number;
  /** What it judged (carried on the alert's events). */
  readonly explain?: AlertExplain;
  /** This alert's severity when it is not the rule's (slo_burn: a ticket is a warning). */
  readonly severity?: Severity;
}

export interface KindSpec<R extends Rule = Rule> {
  /** The rule's value measures a drop: the lower, the worse (the alert's peak is its minimum). */
  lowerIsWorse?(rule: R): boolean;
  routes(rule: R): readonly Route[];
  /** How long the fine track must reach back. */
  fineKeepMs(rule: R): number;
  /** How long the coarse track must reach back (0: none). */
  coarseKeepMs(rule: R): number;
  /** Called once per evaluation after tracks were updated; returns the alerts whose condition holds now.
   *  `active` says whether the alert with these labels is pending or firing (from the last evaluation):
   *  kinds freeze their normal while it is, so an outage never becomes the level it is judged against,
   *  and a firing alert holds until the entity recovers (a pending one must still pass the full test). */
  evaluate(rule: R, live: ReadonlyMap<string, Entity>, nowMs: number, active?: ActiveCheck): Verdict[];
  /** For reports: the rule's value for one alert's entity now, and the band it is judged against. */
  measure(rule: R, entity: Entity, alertLabels: Readonly<Record<string, string>>, nowMs: number): Measure | undefined;
  /** The alert label sets one entity can page with, when more than its own labels (a code per
   *  partner): each one's measure is kept for charts (measure-history.ts). Default: the entity's labels. */
  chartSeries?(rule: R, entity: Entity): readonly Readonly<Record<string, string>>[];
}

/** The state of the alert with these labels (the verdict's: entity labels plus e.g. error_code), or undefined when inactive. */
export type ActiveCheck = (labels: Readonly<Record<string, string>>) => 'pending' | 'firing' | undefined;

/** A value and the learned normal band around it (either bound may be absent). */
export interface Measure {
  readonly value: number;
  readonly lower?: number;
  readonly upper?: number;
}

export const COARSE_STEP_MS = 5 * 60_000;

/** A duration as rules write it (`10m`, `1h`, `90s`). */
export function durationText(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 1000)}s`;
}
export const TOTAL = '__total';

/** True once an entity has been watched long enough for its baseline to mean something. */
export function warm(entity: Entity, rule: Rule, nowMs: number): boolean {
  return nowMs - entity.firstMs >= rule.warmUpMs;
}

/** Matchers on labels other than these ones dropped: lets a companion metric share the entity's matchers. */
export function matchersOn(matchers: readonly LabelMatcher[], labels: readonly string[]): LabelMatcher[] {
  return matchers.filter((m) => labels.includes(m.label));
}
