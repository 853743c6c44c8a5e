// OTLP/HTTP metrics into Samples: decoding with the OTel .proto files, naming as the Prometheus exporter.
export { decodeMetricsRequest } from './decode.js';
export type { DecodeResult } from './decode.js';
export { OtlpToPrometheus } from './to-samples.js';
export type { MappedRequest } from './to-samples.js';
export { prometheusMetricName, attributeLabels } from './prometheus-names.js';
export type { OtlpMetricsRequest } from './types.js';
