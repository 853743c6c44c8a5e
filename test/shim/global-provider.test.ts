// A service that already runs an OTel SDK: the shim records on its global MeterProvider, and the
// service's own Prometheus exporter shows our series next to its own.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { instrumentFetch, startTelemetry, type Telemetry } from 'integration-sentinel';
import { sampleValue, scrape, startPartnerServer, type PartnerServer } from './partner-server.js';

let partner: PartnerServer;
let appProvider: MeterProvider;
let appMetricsUrl: string;
let appServer: ReturnType<typeof createServer>;
let telemetry: Telemetry;

beforeAll(async () => {
  partner = await startPartnerServer();
  const exporter = new PrometheusExporter({ preventServerStart: true });
  appProvider = new MeterProvider({ readers: [exporter] });
  metrics.setGlobalMeterProvider(appProvider);
  appServer = createServer((req, res) => exporter.getMetricsRequestHandler(req, res));
  await new Promise<void>((r) => appServer.listen(0, '127.0.0.1', r));
  appMetricsUrl = `http://127.0.0.1:${(appServer.address() as AddressInfo).port}/metrics`;
  telemetry = await startTelemetry({ serviceName: 'ignored-here', useGlobalMeterProvider: true });
});
afterAll(async () => {
  await telemetry.shutdown();
  await appProvider.shutdown();
  metrics.disable();
  await new Promise((r) => appServer.close(r));
  await partner.close();
});

describe('startTelemetry beside an existing OTel SDK', () => {
  it('records on the global MeterProvider and starts no server of its own', async () => {
    expect(telemetry.url).toBeUndefined();
    appProvider.getMeter('app').createCounter('app_jobs').add(3);
    const f = instrumentFetch(fetch, { partner: 'shared-sdk' });
    await f(`${partner.url}/patients/42`);
    const text = await scrape(appMetricsUrl);
    expect(text).toContain('app_jobs_total');
    expect(sampleValue(text.replace(/,otel_scope_name="integration-sentinel"/g, ''), 'integration_requests_total', {
      partner: 'shared-sdk', operation: 'GET /patients/{id}', outcome: 'success',
    })).toBe(1);
    expect(text).toContain('integration_request_duration_seconds_bucket');
  });

  it('leaves the shared provider running when the shim shuts down', async () => {
    await telemetry.shutdown();
    appProvider.getMeter('app').createCounter('app_jobs').add(1);
    expect(await scrape(appMetricsUrl)).toContain('app_jobs_total{otel_scope_name="app"} 4');
  });
});
