// Decodes an OTLP/HTTP metrics body (`ExportMetricsServiceRequest`, protobuf or JSON) with the OTel
// project's own .proto files through protobufjs: no hand-written wire decoder. The result is a plain
// object with numbers for 64-bit fields, the shape the mapper reads. See proto/README.md.
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import type { OtlpMetricsRequest } from './types.js';

// The same relative place from src/ingest/otlp/ and dist/ingest/otlp/: the package's proto/ folder.
const PROTO_DIR = fileURLToPath(new URL('../../../proto/', import.meta.url));
const REQUEST = 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest';

let requestType: protobuf.Type | undefined;

function type(): protobuf.Type {
  if (requestType) return requestType;
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (isAbsolute(target) ? target : join(PROTO_DIR, target));
  root.loadSync(join(PROTO_DIR, 'opentelemetry/proto/collector/metrics/v1/metrics_service.proto'));
  requestType = root.lookupType(REQUEST);
  return requestType;
}

const TO_OBJECT: protobuf.IConversionOptions = { longs: Number, enums: Number, bytes: String, defaults: true, arrays: true, oneofs: true };

export type DecodeResult = { ok: true; request: OtlpMetricsRequest } | { ok: false; reason: string };

/** `format` from the request's content-type: `protobuf` (application/x-protobuf) or `json` (application/json). */
export function decodeMetricsRequest(body: Buffer, format: 'protobuf' | 'json'): DecodeResult {
  const t = type();
  try {
    if (format === 'protobuf') {
      const message = t.decode(body);
      return { ok: true, request: t.toObject(message, TO_OBJECT) as OtlpMetricsRequest };
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch (error) {
      return { ok: false, reason: `body is not JSON: ${(error as Error).message}` };
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, reason: 'body is not a JSON object (ExportMetricsServiceRequest)' };
    const problem = t.verify(json);
    // verify() is strict about 64-bit fields sent as strings, which OTLP/JSON allows: only its other complaints count.
    if (problem && !/integer|Long/.test(problem)) return { ok: false, reason: `not an ExportMetricsServiceRequest: ${problem}` };
    return { ok: true, request: t.toObject(t.fromObject(json), TO_OBJECT) as OtlpMetricsRequest };
  } catch (error) {
    return { ok: false, reason: `not an ExportMetricsServiceRequest (${format}): ${(error as Error).message}` };
  }
}
