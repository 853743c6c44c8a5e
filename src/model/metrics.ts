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
