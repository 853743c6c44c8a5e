// A service instrumented with the OTel SDK and its OTLP/HTTP exporters (JSON and protobuf, cumulative
// and delta) pushes to a real `sentinel run` (real detector, escalator and Slack client against the
// local Slack server); when its partner starts answering 401s, the on-call channel is paged. Time is
// the test's: one forced export and one evaluation per simulated minute.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OTLPMetricExporter as JsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtobufExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SentinelService } from '../../../src/service/service.ts';
import { productionDeps, type RuleSet } from '../../../src/service/wiring.ts';
import { startFakeSlack, type FakeSlack } from '../../escalate/support/slack-server.ts';
import { authFailuresRules } from '../../service/support/auth-failures-rule.js';

const MIN = 60_000;
const T0 = Date.parse('2026-11-23T02:00:00Z');
const RULES = authFailuresRules();

let dir: string;
let slack: FakeSlack;
let service: SentinelService<RuleSet>;
let base: string;
let now = T0;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sentinel-otlp-'));
  slack = await startFakeSlack();
  await writeFile(join(dir, 'rules.yaml'), RULES);
  // No targets: everything arrives over OTLP.
  await writeFile(join(dir, 'sentinel.yaml'), `listen: { host: 127.0.0.1, port: 0 }
data_dir: ./data
rules: ./rules.yaml
escalation:
  global:
    slack_api_url: ${slack.url}
    slack_token_env: SLACK_BOT_TOKEN
  route:
    receiver: oncall
    group_by: [rule, partner]
    group_wait: 0s
  receivers:
    - name: oncall
      slack_configs:
        - channel: '#integrations-oncall'
`);
  now = T0;
  const started = await SentinelService.start(join(dir, 'sentinel.yaml'), { ...productionDeps(), now: () => now, timers: false, env: { SLACK_BOT_TOKEN: 'xoxb-otlp-test' }, writeLog: () => {} });
  if (!started.ok) throw new Error(JSON.stringify(started.diagnostics));
  service = started.service;
  base = `http://127.0.0.1:${service.address().port}`;
});

afterEach(async () => {
  await service.stop();
  await slack.close();
  await rm(dir, { recursive: true, force: true });
});

const cases = [
  { exporter: 'exporter-metrics-otlp-http (JSON)', make: (url: string, t: AggregationTemporality) => new JsonExporter({ url, temporalityPreference: t }), temporality: AggregationTemporality.CUMULATIVE },
  { exporter: 'exporter-metrics-otlp-proto (protobuf)', make: (url: string, t: AggregationTemporality) => new ProtobufExporter({ url, temporalityPreference: t }), temporality: AggregationTemporality.DELTA },
] as const;

describe('sentinel run with metrics pushed over OTLP/HTTP', () => {
  for (const c of cases) {
    it(`pages when a partner starts answering 401s, from the SDK's ${c.exporter}, ${c.temporality === AggregationTemporality.DELTA ? 'delta' : 'cumulative'}`, async () => {
      const reader = new PeriodicExportingMetricReader({ exporter: c.make(`${base}/v1/metrics`, c.temporality), exportIntervalMillis: 3_600_000 });
      const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'checkin-api' }), readers: [reader] });
      const requests = provider.getMeter('integration-sentinel-shim').createCounter('integration_requests');
      const minute = async (authErrors: number): Promise<void> => {
        requests.add(20, { partner: 'acme_ehr', operation: 'POST /check-ins', outcome: 'success' });
        if (authErrors > 0) requests.add(authErrors, { partner: 'acme_ehr', operation: 'POST /check-ins', outcome: 'auth_error', error_code: '401' });
        await reader.forceFlush();
        now += MIN;
        await service.evaluateOnce(now);
        await service.tick(now);
      };
      try {
        for (let i = 0; i < 4; i++) await minute(0);
        expect(slack.messages).toHaveLength(0);
        for (let i = 0; i < 5; i++) await minute(30);
        expect(slack.messages.length).toBeGreaterThan(0);
        expect(JSON.stringify(slack.messages[0])).toContain('[FIRING] acme_ehr');
        expect(JSON.stringify(slack.messages[0])).toContain('partner=acme_ehr (value 0.500)');
        const metrics = await (await fetch(`${base}/metrics`)).text();
        expect(metrics).toMatch(/sentinel_otlp_requests_total\{encoding="(json|protobuf)",result="accepted"\} 9/);
      } finally {
        await provider.shutdown().catch(() => {});
      }
    });
  }

  it('answers a malformed body with 400 and the reason, and counts it', async () => {
    const bad = await fetch(`${base}/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/ExportMetricsServiceRequest/);
    const json = await fetch(`${base}/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"resourceMetrics": [' });
    expect(json.status).toBe(400);
    const text = await fetch(`${base}/v1/metrics`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'up 1' });
    expect(text.status).toBe(415);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('sentinel_otlp_requests_total{encoding="protobuf",result="malformed"} 1');
    expect(metrics).toContain('sentinel_otlp_requests_total{encoding="json",result="malformed"} 1');
    expect(metrics).toContain('sentinel_otlp_requests_total{encoding="unknown",result="unsupported_media_type"} 1');
  });
});
