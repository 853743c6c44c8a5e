// One SDK, two exports of the same collection: the real @opentelemetry/exporter-prometheus text (as the
// shim serves it, withoutScopeInfo) and the OTLP request the real otlp-transformer serializers write,
// decoded and mapped by us. The series and values must be the same, so the same rules apply.
import { ValueType } from '@opentelemetry/api';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { parseExposition } from '../../../src/ingest/index.ts';
import { decodeMetricsRequest, OtlpToPrometheus } from '../../../src/ingest/otlp/index.ts';

class CollectingReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

async function collection(temporality: AggregationTemporality): Promise<ResourceMetrics> {
  const reader = new CollectingReader({ aggregationTemporalitySelector: () => temporality });
  const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'checkin-api', 'service.instance.id': 'pod-7' }), readers: [reader] });
  const meter = provider.getMeter('integration-sentinel-shim', '0.1.0');
  const requests = meter.createCounter('integration_requests');
  const dotted = meter.createCounter('http.client.requests', { unit: 'requests' });
  const duration = meter.createHistogram('integration_request_duration_seconds', { unit: 's', advice: { explicitBucketBoundaries: [0.05, 0.25, 1, 5] } });
  const pending = meter.createUpDownCounter('integration_queue_pending_events', { valueType: ValueType.INT });
  requests.add(3, { partner: 'acme_ehr', operation: 'GET /patients/{id}', outcome: 'success' });
    requests.add(2, { partner: 'acme_ehr', operation: 'GET /patients/{id}', outcome: 'auth_error', error_code: '401' });
    dotted.add(1, { 'http.request.method': 'GET', retried: false, attempt: 2 });
    duration.record(0.12, { partner: 'labcorp_like', operation: 'SOAP "Results\\Get"', outcome: 'success' });
    duration.record(3.5, { partner: 'labcorp_like', operation: 'SOAP "Results\\Get"', outcome: 'success' });
  pending.add(4, { queue: 'registrations' });
  return (await reader.collect()).resourceMetrics;
}

const asMap = (samples: ReadonlyArray<{ series: string; value: number }>): Map<string, number> => new Map(samples.map((s) => [s.series, s.value]));

describe('OTLP metrics are named and labelled as the Prometheus exporter exposes them', () => {
  for (const encoding of ['protobuf', 'json'] as const) {
    it(`${encoding}: every series and value of exporter-prometheus's /metrics text, and no other`, async () => {
      const collected = await collection(AggregationTemporality.CUMULATIVE);
      const text = new PrometheusSerializer(undefined, false, undefined, false, true).serialize(collected);
      const scraped = parseExposition(text, { target: 't', nowMs: 1 });
      const body = (encoding === 'protobuf' ? ProtobufMetricsSerializer : JsonMetricsSerializer).serializeRequest(collected)!;
      const decoded = decodeMetricsRequest(Buffer.from(body), encoding);
      expect(decoded.ok, decoded.ok ? '' : decoded.reason).toBe(true);
      if (!decoded.ok) return;
      const pushed = new OtlpToPrometheus().map(decoded.request, 1);
      expect(scraped.length).toBeGreaterThan(10);
      expect(asMap(pushed.samples)).toEqual(asMap(scraped));
      expect(pushed.samples.map((s) => s.series)).toContain('integration_requests_total{error_code="401",operation="GET /patients/{id}",outcome="auth_error",partner="acme_ehr"}');
      expect(pushed.samples.map((s) => s.series)).toContain('integration_request_duration_seconds_bucket{le="+Inf",operation="SOAP \\"Results\\\\Get\\"",outcome="success",partner="labcorp_like"}');
      expect(pushed.samples.map((s) => s.series)).toContain('http_client_requests_total{attempt="2",http_request_method="GET",retried="false"}');
    });
  }

  it('sums delta temporality into the cumulative counters a scrape would show', async () => {
    const reader = new CollectingReader({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
    const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'checkin-api' }), readers: [reader] });
    const meter = provider.getMeter('m');
    const requests = meter.createCounter('integration_requests');
    const duration = meter.createHistogram('integration_request_duration_seconds', { advice: { explicitBucketBoundaries: [1] } });
    const mapper = new OtlpToPrometheus();
    const push = async (): Promise<Map<string, number>> => {
      const { resourceMetrics } = await reader.collect();
      const decoded = decodeMetricsRequest(Buffer.from(ProtobufMetricsSerializer.serializeRequest(resourceMetrics)!), 'protobuf');
      if (!decoded.ok) throw new Error(decoded.reason);
      return asMap(mapper.map(decoded.request, 1).samples);
    };
    requests.add(5, { partner: 'acme_ehr' });
    duration.record(0.5, { partner: 'acme_ehr' });
    await push();
    requests.add(7, { partner: 'acme_ehr' });
    duration.record(2, { partner: 'acme_ehr' });
    const second = await push();
    expect(second.get('integration_requests_total{partner="acme_ehr"}')).toBe(12);
    expect(second.get('integration_request_duration_seconds_count{partner="acme_ehr"}')).toBe(2);
    expect(second.get('integration_request_duration_seconds_sum{partner="acme_ehr"}')).toBe(2.5);
    expect(second.get('integration_request_duration_seconds_bucket{le="1",partner="acme_ehr"}')).toBe(1);
    expect(second.get('integration_request_duration_seconds_bucket{le="+Inf",partner="acme_ehr"}')).toBe(2);
  });

  it('rejects a body that is not an ExportMetricsServiceRequest, saying why', () => {
    const garbage = decodeMetricsRequest(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]), 'protobuf');
    expect(garbage).toMatchObject({ ok: false });
    expect((garbage as { reason: string }).reason).toMatch(/ExportMetricsServiceRequest/);
    const notJson = decodeMetricsRequest(Buffer.from('{"resourceMetrics": ['), 'json');
    expect((notJson as { reason: string }).reason).toMatch(/not JSON/);
    const wrongShape = decodeMetricsRequest(Buffer.from('{"resourceMetrics": "yes"}'), 'json');
    expect((wrongShape as { reason: string }).reason).toMatch(/resourceMetrics/);
  });
});
