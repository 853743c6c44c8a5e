// The metric contract: names exactly as Prometheus scrapes them. The shim creates its instruments under
// these names, and the rule pack's defaults, the dashboards, the simulator and the demo read them from
// here. Users' PromQL is written against them: rename one only by keeping the old name working.

/** Scraped metric names. The Prometheus exporter only appends `_total` to counters that lack it and
 * never adds unit suffixes, so what is written here is what /metrics shows. */
export const METRIC = {
  requests: 'integration_requests_total',
  requestDuration: 'integration_request_duration_seconds',
  dbDuration: 'db_client_operation_duration_seconds',
  queueEvents: 'integration_queue_events_total',
  queuePending: 'integration_queue_pending_events',
  queueOldestAge: 'integration_queue_oldest_pending_age_seconds',
  routingFlows: 'integration_routing_flows',
  cardinalityOverflow: 'sentinel_cardinality_overflow_total',
} as const;

/** The counter a count-based rule reads from a metric: a histogram's `_count`, or the metric itself
 *  when it is already a `_total` counter or a `_count`. */
export function countSeriesName(metric: string): string {
  return metric.endsWith('_total') || metric.endsWith('_count') ? metric : `${metric}_count`;
}

/** The histogram's `_sum` beside that count; none for a plain `_total` counter (it has no durations). */
export function sumSeriesName(metric: string): string | undefined {
  if (metric.endsWith('_total')) return undefined;
  return metric.endsWith('_count') ? metric.slice(0, -'_count'.length) + '_sum' : `${metric}_sum`;
}
