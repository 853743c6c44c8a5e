// The typed rule model: what a rule file means once it has been parsed and validated. The detector
// (src/detect) evaluates it, the compiler (src/compile) turns it into PromQL, the dashboards read it.
// Every duration is in milliseconds; every field has its default filled in by the schema, so nothing
// downstream guesses. The exact math of each kind is written down in docs/rules.md.

import type { LabelMatcher, SourcePosition } from '../config/index.js';
import type { Severity } from '../model/index.js';

export type { LabelMatcher, SourcePosition };

export const RULE_KINDS = [
  'error_code_shift',
  'error_rate',
  'success_drop',
  'latency',
  'timeouts',
  'routing_flows',
  'queue_backlog',
  'threshold',
  'anomaly',
  'slo_burn',
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** Fields every rule has, whatever its kind. */
export interface RuleBase {
  /** Alert name, unique across the pack (`partner_error_code_shift`). */
  readonly name: string;
  readonly kind: RuleKind;
  /** The metric the rule reads, as scraped (a histogram's base name, without `_count`/`_sum`). */
  readonly metric: string;
  /** Label matchers from the rule's selector (`metric{a="b"}`), applied to every series it reads. */
  readonly matchers: readonly LabelMatcher[];
  /** The entity one alert is about: its series are summed per these labels (`sum by (partner)`). */
  readonly by: readonly string[];
  /** How long the condition must hold before pending becomes firing. */
  readonly forMs: number;
  /** How long a firing alert stays firing after the condition stops holding (flap damping). */
  readonly keepFiringForMs: number;
  /** `critical` pages, `warning` does not. */
  readonly severity: Severity;
  /** Prometheus-style template: `{{ $labels.partner }}`, `{{ $value }}`, `{{ $value | humanizePercentage }}`. */
  readonly summary: string;
  readonly runbook?: string;
  /** Static labels added to every alert of this rule (e.g. `team: integrations`). */
  readonly labels: Readonly<Record<string, string>>;
  /** An entity must have been observed this long before it may become active (its baseline is learning). */
  readonly warmUpMs: number;
  /** A series not seen for this long is stale: it stops being evaluated and its alert resolves. */
  readonly staleAfterMs: number;
  /** Where the rule was written, for messages. */
  readonly source: SourcePosition;
}

/** A new or surging error code for one entity (usually a partner). Reads a counter with an error-code label. */
export interface ErrorCodeShiftRule extends RuleBase, ShareEntry {
  readonly kind: 'error_code_shift';
  /** Label carrying the code (`error_code`). */
  readonly codeLabel: string;
  /** Label and value marking a successful call, which counts toward the total but never as a code. */
  readonly outcomeLabel: string;
  readonly successValue: string;
  /** Window over which the code's share of calls is measured. */
  readonly windowMs: number;
  /** Trailing window the code's normal share is learned over (excluding the current window). */
  readonly baselineMs: number;
  /** At least this many calls with the code in the window. */
  readonly minCount: number;
  /** The code is at least this share of all the entity's calls in the window. */
  readonly minShare: number;
  /** ...and at least this many times its learned share. */
  readonly factor: number;
  /** ...and that many is this improbable under the learned share (Poisson; the share gets a half-count prior, so a never-seen code is rare, not impossible). */
  readonly pValue: number;
}

/** Entry below the sure share, and exit, for the share kinds (error_code_shift, error_rate, timeouts). */
export interface ShareEntry {
  /** Below min_share (min_ratio), a share this high or higher enters once it has been certain by its counts for `sustainMs`. */
  readonly floorShare: number;
  readonly sustainMs: number;
  /** A firing alert resolves once the share is back below this fraction of the way from normal to its entry level. */
  readonly exitAt: number;
}

/** Error ratio (errors / all calls) above its learned normal. */
export interface ErrorRateRule extends RuleBase, ShareEntry {
  readonly kind: 'error_rate';
  readonly outcomeLabel: string;
  readonly successValue: string;
  readonly windowMs: number;
  readonly baselineMs: number;
  readonly minCalls: number;
  readonly minErrors: number;
  readonly minRatio: number;
  readonly factor: number;
  /** ...and that many is this improbable under the learned share (Poisson; the share gets a half-count prior, so a never-seen code is rare, not impossible). */
  readonly pValue: number;
}

/** Successes fall far below what is normal now (recent level and hour-of-week / hour-of-day seasonality). */
export interface SuccessDropRule extends RuleBase {
  readonly kind: 'success_drop';
  readonly windowMs: number;
  /** The recent level is the rate over this long, just before the window. */
  readonly historyMs: number;
  /** Page only where at least this many successes were expected in the window (Poisson: low rates never page). */
  readonly minExpected: number;
  /** Observed successes are at most this fraction of the expected count... */
  readonly dropRatio: number;
  /** ...and that few is this improbable under Poisson(expected). */
  readonly pValue: number;
  /** A firing alert resolves once the window holds this fraction of the normal (default: rules/defaults.ts recoveryRatio). */
  readonly recoverRatio: number;
  /** A drop above a quarter of normal (partial) must hold this long before it is pending. */
  readonly sustainMs: number;
}

/** Mean latency (histogram sum / count over the window) leaves its learned robust band. */
export interface LatencyRule extends RuleBase {
  readonly kind: 'latency';
  readonly windowMs: number;
  readonly baselineMs: number;
  readonly minCount: number;
  /** Band: median + madFactor * 1.4826 * MAD of the window means over the baseline... */
  readonly madFactor: number;
  /** ...and at least minFactor times the median. */
  readonly minFactor: number;
  /** Never page below this mean latency (seconds). */
  readonly minSeconds: number;
  /** A firing alert resolves once the mean is back below this fraction of the way from the median to the entry threshold. */
  readonly exitAt: number;
}

/** An operation starts timing out: timeouts' share of its calls (from a histogram's `_count`, or a counter). */
export interface TimeoutsRule extends RuleBase, ShareEntry {
  readonly kind: 'timeouts';
  /** Label whose value marks a timeout (`error_type`) and that value (`timeout`). */
  readonly timeoutLabel: string;
  readonly timeoutValue: string;
  readonly windowMs: number;
  readonly baselineMs: number;
  readonly minCount: number;
  readonly minRatio: number;
  readonly factor: number;
  /** ...and that many is this improbable under the learned share (Poisson; the share gets a half-count prior, so a never-seen code is rare, not impossible). */
  readonly pValue: number;
  /** For an operation that never timed out over the baseline (and made at least 50 calls): this many timeouts suffice, no Poisson test. */
  readonly minCountNew: number;
  /** An operation whose calls that did not time out take on average at least this share of its timeouts'
   *  own duration is running into its timeout (a query creeping slower): from `min_count_new` timeouts at
   *  `floor_ratio` its timeouts page at once, unless that many is likely at its normal. 0: off. Needs the
   *  histogram's `_sum` (a `_total` counter has no durations). */
  readonly nearTimeout: number;
}

/** Unhealthy routing flows per zone, from a gauge with a state label; pages when several zones are unhealthy at once. */
export interface RoutingFlowsRule extends RuleBase {
  readonly kind: 'routing_flows';
  readonly stateLabel: string;
  readonly unhealthyValue: string;
  /** A zone is unhealthy when unhealthy / all flows in it is at least this... */
  readonly minRatio: number;
  /** ...and at least this many flows are unhealthy... */
  readonly minUnhealthy: number;
  /** ...and an alert is active only while at least this many zones are unhealthy together. */
  readonly minZones: number;
}

/** Event-queue health per queue: backlog growing, oldest event too old, events failing for good. */
export interface QueueBacklogRule extends RuleBase {
  readonly kind: 'queue_backlog';
  /** Gauges and counter read beside `metric` (the events counter). */
  readonly pendingMetric: string;
  readonly oldestAgeMetric: string;
  readonly outcomeLabel: string;
  readonly failedValue: string;
  readonly windowMs: number;
  readonly baselineMs: number;
  /** Active when the oldest pending event is older than this... */
  readonly maxOldestAgeMs: number;
  /** ...or at least this many events failed for good in the window... */
  readonly maxFailed: number;
  /** ...or pending grew through the whole window and stands above median + madFactor MADs of its normal. */
  readonly madFactor: number;
  readonly minPending: number;
}

/** A plain static bound, on a gauge's sum or a counter's per-second rate. */
export interface ThresholdRule extends RuleBase {
  readonly kind: 'threshold';
  /** When set, the metric is a counter and the rule compares its per-second rate over this window. */
  readonly rateWindowMs?: number;
  readonly op: '>' | '>=' | '<' | '<=';
  readonly value: number;
}

/** Any gauge (or a counter's per-second rate) that stops looking like itself: the learned-normal model
 *  of src/detect/anomaly (robust level, season found or declared, spike / shift / likelihood / novel / stuck). */
export interface AnomalyRule extends RuleBase {
  readonly kind: 'anomaly';
  /** When set, the metric is a counter and the series judged is its per-second rate over this window. */
  readonly rateWindowMs?: number;
  /** Which side of normal pages: `up` (surges, spikes), `down` (drops, stalls) or `both`. */
  readonly direction: 'up' | 'down' | 'both';
  /** `auto`: a day or a week if the warm-up's autocorrelation shows one; `none`; or declared. */
  readonly season: 'auto' | 'none' | '1d' | '1w';
  /** The model reads one point per step (the latest value, or rate); its memory is counted in steps. */
  readonly stepMs: number;
  /** Points learned before anything is judged. */
  readonly warmUpSamples: number;
}

/** One pair of the multiwindow, multi-burn-rate alert (SRE workbook ch. 5): both windows burn the
 *  error budget at least `burn` times the rate that would spend it exactly over the period. */
export interface BurnWindow {
  /** `page` alerts carry the rule's severity (critical by default); `ticket` alerts are warnings. */
  readonly alert: 'page' | 'ticket';
  readonly longMs: number;
  readonly shortMs: number;
  readonly burn: number;
}

/** An objective for a partner or operation (`objective: 99.5%` over `period: 30d`): errors are every
 *  outcome but success; the alert pages when the error budget burns too fast over two windows at once. */
export interface SloBurnRule extends RuleBase {
  readonly kind: 'slo_burn';
  readonly outcomeLabel: string;
  readonly successValue: string;
  /** The share of calls that must succeed, as a ratio (99.5% -> 0.995). */
  readonly objective: number;
  readonly periodMs: number;
  readonly windows: readonly BurnWindow[];
  /** A pair is judged only when its short window holds at least this many calls (the traffic guard). */
  readonly minCalls: number;
  /** A firing pair holds until a window's burn is below this fraction of its `burn`. */
  readonly exitAt: number;
}

export type Rule =
  | ErrorCodeShiftRule
  | ErrorRateRule
  | SuccessDropRule
  | LatencyRule
  | TimeoutsRule
  | RoutingFlowsRule
  | QueueBacklogRule
  | ThresholdRule
  | AnomalyRule
  | SloBurnRule;

export type RulesLoadResult =
  | { readonly ok: true; readonly rules: readonly Rule[] }
  | { readonly ok: false; readonly diagnostics: readonly import('../config/index.js').Diagnostic[] };
