// Reading history from a live Prometheus: the series the rules select, as SampleBatches in time order,
// and the alerts it recorded itself. See docs/recording.md ("From Prometheus").
export { readPrometheus, newPrometheusReadStats, queryWindows, MAX_POINTS_PER_SERIES } from './read-prometheus.js';
export { readFiringAlerts, recordedAlertsTable } from './alerts-history.js';
export type { RecordedAlert } from './alerts-history.js';
export { PrometheusError } from './http-client.js';
export type { PrometheusReadOptions, PrometheusReadStats, PrometheusHttpConfig, TlsConfig, UnreadWindow } from './types.js';
