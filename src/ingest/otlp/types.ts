// The decoded OTLP metrics request, as protobufjs' toObject gives it (camelCase fields, 64-bit integers
// as numbers, enums as numbers): only the parts the mapper reads are typed.

export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number;
  doubleValue?: number;
  arrayValue?: { values: OtlpAnyValue[] };
  kvlistValue?: { values: OtlpKeyValue[] };
  bytesValue?: string;
  value?: string;
}

export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}

export interface OtlpNumberDataPoint {
  attributes: OtlpKeyValue[];
  startTimeUnixNano: number;
  timeUnixNano: number;
  asDouble?: number;
  asInt?: number;
  value?: 'asDouble' | 'asInt';
}

export interface OtlpHistogramDataPoint {
  attributes: OtlpKeyValue[];
  startTimeUnixNano: number;
  timeUnixNano: number;
  count: number;
  sum?: number;
  bucketCounts: number[];
  explicitBounds: number[];
}

/** AggregationTemporality: 1 delta, 2 cumulative (0 unspecified). */
export const DELTA = 1;

export interface OtlpMetric {
  name: string;
  description?: string;
  unit?: string;
  gauge?: { dataPoints: OtlpNumberDataPoint[] };
  sum?: { dataPoints: OtlpNumberDataPoint[]; aggregationTemporality: number; isMonotonic: boolean };
  histogram?: { dataPoints: OtlpHistogramDataPoint[]; aggregationTemporality: number };
  exponentialHistogram?: unknown;
  summary?: unknown;
  data?: string;
}

export interface OtlpMetricsRequest {
  resourceMetrics: Array<{
    resource?: { attributes: OtlpKeyValue[] };
    scopeMetrics: Array<{ scope?: { name?: string; version?: string }; metrics: OtlpMetric[] }>;
  }>;
}
