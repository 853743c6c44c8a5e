// `POST /v1/metrics`: OTLP/HTTP metrics pushed beside scraping, as @opentelemetry/exporter-metrics-otlp-http
// sends them (protobuf or JSON, optionally gzip). Each accepted request's samples wait, latest value per
// series, for the next evaluation, exactly as a target's last scrape does. A body that does not decode
// is a 400 with the reason, and counted in the service's own /metrics.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { decodeMetricsRequest, OtlpToPrometheus } from '../ingest/otlp/index.js';
import type { Sample } from '../model/index.js';
import type { Logger } from './log.js';
import type { ServiceMetrics } from './self-metrics.js';

/** A batch of a few thousand data points is well under this; a collector batching harder should split. */
const BODY_LIMIT = 16 << 20;

export class OtlpReceiver {
  readonly #mapper = new OtlpToPrometheus();
  readonly #fresh = new Map<string, Sample>();
  readonly #metrics: ServiceMetrics;
  readonly #log: Logger;

  constructor(metrics: ServiceMetrics, log: Logger) {
    this.#metrics = metrics;
    this.#log = log;
  }

  /** The samples pushed since the last call, the latest per series and sender. */
  takeFresh(): Sample[] {
    const out = [...this.#fresh.values()];
    this.#fresh.clear();
    return out;
  }

  async handle(req: IncomingMessage, res: ServerResponse, nowMs: number): Promise<void> {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const encoding = type === 'application/x-protobuf' || type === 'application/protobuf' ? 'protobuf' : type === 'application/json' ? 'json' : undefined;
    const reject = (status: number, result: string, error: string, fix: string): void => {
      this.#metrics.otlpRequests.inc({ encoding: encoding ?? 'unknown', result });
      this.#log.warn('otlp_rejected', { result, error });
      res.statusCode = status;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify({ error, fix }) + '\n');
    };
    if (!encoding) return reject(415, 'unsupported_media_type', `content-type ${JSON.stringify(type)} is not OTLP`, 'send application/x-protobuf or application/json, as the OTLP/HTTP exporters do');
    let body: Buffer;
    try {
      body = await readBody(req);
      if ((req.headers['content-encoding'] ?? '').toLowerCase() === 'gzip') body = gunzipSync(body, { maxOutputLength: BODY_LIMIT });
    } catch (error) {
      return reject(400, 'malformed', `body unreadable: ${(error as Error).message}`, `send at most ${BODY_LIMIT >> 20} MiB, gzip-encoded only with content-encoding: gzip`);
    }
    const decoded = decodeMetricsRequest(body, encoding);
    if (!decoded.ok) return reject(400, 'malformed', decoded.reason, 'send an OTLP ExportMetricsServiceRequest (opentelemetry-proto metrics_service.proto)');
    const mapped = this.#mapper.map(decoded.request, nowMs);
    for (const s of mapped.samples) this.#fresh.set(`${s.target}\u0000${s.series}`, s);
    this.#metrics.otlpRequests.inc({ encoding, result: 'accepted' });
    this.#metrics.otlpDataPoints.inc({}, mapped.dataPoints);
    for (const [why, n] of Object.entries(mapped.skipped)) this.#metrics.otlpSkippedMetrics.inc({ reason: why }, n);
    // An empty ExportMetricsServiceResponse: full success, in the request's own encoding.
    res.statusCode = 200;
    res.setHeader('content-type', encoding === 'json' ? 'application/json' : 'application/x-protobuf');
    res.end(encoding === 'json' ? '{}' : Buffer.alloc(0));
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT) throw new Error(`over ${BODY_LIMIT >> 20} MiB`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
