// OTLP names and attributes as @opentelemetry/exporter-prometheus writes them (PrometheusSerializer),
// so a metric pushed over OTLP and the same metric scraped from the shim's /metrics are one series and
// the same rules apply: invalid characters become `_` (runs collapsed), a leading digit gets `_`, a
// monotonic sum gains `_total` unless it has it, units never become suffixes, and a non-string
// attribute value is its JSON text.
import type { OtlpAnyValue, OtlpKeyValue } from './types.js';

const INVALID = /[^a-z0-9_]/gi;
const RUNS = /_{2,}/g;

export function sanitizeName(name: string): string {
  return name.replace(INVALID, '_').replace(RUNS, '_');
}

/** The Prometheus name of an OTLP metric, or undefined where the exporter drops it. */
export function prometheusMetricName(otlpName: string, monotonicSum: boolean): string | undefined {
  // The exporter escapes backslash and newline before sanitising metric names (not attribute names).
  let name = sanitizeName(otlpName.replace(/\\/g, '\\\\').replace(/\n/g, '\\n'));
  if (name === '' || name === '_') return undefined;
  if (name[0]! >= '0' && name[0]! <= '9') name = `_${name}`;
  if (monotonicSum && !name.endsWith('_total')) name += '_total';
  return name;
}

/** The JS value the SDK held, as the exporter would stringify it. */
function plain(v: OtlpAnyValue | undefined): unknown {
  if (!v) return '';
  if (v.stringValue !== undefined && (v.value === undefined || v.value === 'stringValue')) return v.stringValue;
  switch (v.value) {
    case 'boolValue': return v.boolValue;
    case 'intValue': return v.intValue;
    case 'doubleValue': return v.doubleValue;
    case 'arrayValue': return (v.arrayValue?.values ?? []).map(plain);
    case 'kvlistValue': return Object.fromEntries((v.kvlistValue?.values ?? []).map((kv) => [kv.key, plain(kv.value)]));
    case 'bytesValue': return v.bytesValue;
    default: return v.stringValue ?? '';
  }
}

export function attributeLabels(attributes: readonly OtlpKeyValue[] | undefined, into: Record<string, string> = {}): Record<string, string> {
  for (const kv of attributes ?? []) {
    const value = plain(kv.value);
    into[sanitizeName(kv.key)] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return into;
}
