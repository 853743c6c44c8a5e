// The PromQL behind every panel, written against the shim's metric contract (model/METRIC). Kept apart from
// the layout so a reader can check the queries in one place; `$partner` and `$__rate_interval` are
// Grafana variables.
import { METRIC } from '../../model/index.js';
import { promString, seasonalMedian } from '../promql.js';

const REQUESTS = METRIC.requests;
const DURATION_BUCKET = `${METRIC.requestDuration}_bucket`;
const DB = METRIC.dbDuration;
const ROUTING = METRIC.routingFlows;
const PENDING = METRIC.queuePending;
const OLDEST = METRIC.queueOldestAge;
const QUEUE_EVENTS = METRIC.queueEvents;

/** Successful calls per second, by partner (all partners when `partner` is undefined). */
export function successRate(partner?: string, window = '$__rate_interval'): string {
  return `sum by (partner) (rate(${REQUESTS}{${partnerMatcher(partner)}outcome="success"}[${window}]))`;
}

/** The same rate's hour-of-week normal: the median of the same moment over the last `weeks` weeks. */
export function successRateNormal(weeks: number, partner?: string): string {
  return seasonalMedian(
    (offset) => `sum by (partner) (rate(${REQUESTS}{${partnerMatcher(partner)}outcome="success"}[1h]${offset}))`,
    ['partner'],
    weeks,
  );
}

export function successRatio(partner?: string, window = '$__rate_interval'): string {
  const m = partnerMatcher(partner);
  return `sum by (partner) (rate(${REQUESTS}{${m}outcome="success"}[${window}])) / sum by (partner) (rate(${REQUESTS}{${trimComma(m)}}[${window}]))`;
}

export function errorsByCode(partner?: string, window = '$__rate_interval'): string {
  const by = partner === undefined ? 'partner, error_code' : 'error_code';
  return `sum by (${by}) (rate(${REQUESTS}{${partnerMatcher(partner)}outcome!="success"}[${window}]))`;
}

export function errorCodesLastHour(): string {
  return `sum by (partner, error_code, outcome) (increase(${REQUESTS}{outcome!="success"}[1h])) > 0`;
}

export function requestRateByOperationAndOutcome(partner: string): string {
  return `sum by (operation, outcome) (rate(${REQUESTS}{partner=${partner}}[$__rate_interval]))`;
}

export function errorRatioByOperation(partner: string): string {
  return `sum by (operation) (rate(${REQUESTS}{partner=${partner},outcome!="success"}[$__rate_interval])) / sum by (operation) (rate(${REQUESTS}{partner=${partner}}[$__rate_interval]))`;
}

export function latencyQuantile(q: number, partner: string, byOperation = false): string {
  const by = byOperation ? 'operation, le' : 'le';
  return `histogram_quantile(${q}, sum by (${by}) (rate(${DURATION_BUCKET}{partner=${partner}}[$__rate_interval])))`;
}

export function dbOperationRate(): string {
  return `sum by (db_operation_name, db_system_name) (rate(${DB}_count[$__rate_interval]))`;
}

export function dbTimeoutRate(): string {
  return `sum by (db_operation_name) (rate(${DB}_count{error_type="timeout"}[$__rate_interval]))`;
}

export function dbLatencyP95(): string {
  return `histogram_quantile(0.95, sum by (db_operation_name, le) (rate(${DB}_bucket[$__rate_interval])))`;
}

export function routingFlows(): string {
  return `sum by (zone, state) (${ROUTING})`;
}

export function unhealthyShareByZone(): string {
  return `sum by (zone) (${ROUTING}{state="unhealthy"}) / sum by (zone) (${ROUTING})`;
}

export function queuePending(): string {
  return `sum by (queue) (${PENDING})`;
}

export function queueOldestAge(): string {
  return `max by (queue) (${OLDEST})`;
}

export function queueEvents(): string {
  return `sum by (queue, outcome) (rate(${QUEUE_EVENTS}[$__rate_interval]))`;
}

export function alertsFiring(partner?: string): string {
  return partner === undefined ? 'ALERTS{alertstate="firing"}' : `ALERTS{alertstate="firing",partner=${partner}}`;
}

/** A rule's runbook, as its compiled alert carries it in the `runbook_url` annotation. */
export interface Runbook {
  readonly alertname: string;
  readonly url: string;
}

/**
 * Firing alerts with a `runbook_url` label joined on from the rule pack: ALERTS carries labels only, so
 * the annotation's URL comes in as a constant series per rule. Alerts without a runbook are kept
 * (`or ignoring (runbook_url)` adds them once, not twice).
 */
export function alertsFiringWithRunbooks(runbooks: readonly Runbook[], partner?: string): string {
  const alerts = alertsFiring(partner);
  if (runbooks.length === 0) return alerts;
  const table = runbooks
    .map((r) => `label_replace(label_replace(vector(1), "alertname", ${promString(r.alertname)}, "", ""), "runbook_url", ${promString(literalReplacement(r.url))}, "", "")`)
    .join(' or ');
  return `${alerts} * on (alertname) group_left (runbook_url) (${table}) or ignoring (runbook_url) ${alerts}`;
}

/** label_replace expands `$1` in its replacement; `$$` is a literal dollar. */
function literalReplacement(text: string): string {
  return text.replace(/\$/g, () => '$$');
}

/** A `partner="x",` prefix (x already quoted or a `"$partner"` variable), or nothing. */
function partnerMatcher(partner?: string): string {
  return partner === undefined ? '' : `partner=${partner},`;
}

function trimComma(text: string): string {
  return text.endsWith(',') ? text.slice(0, -1) : text;
}

/** The partner variable as it appears inside a matcher. */
export const PARTNER_VAR = '"$partner"';
