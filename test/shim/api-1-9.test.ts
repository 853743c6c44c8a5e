// A service on @opentelemetry/api 1.9. With the API a peer dependency the shim runs on the
// service's own copy: here the shim's imports of the API are pointed at a real 1.9.0 (the
// `otel-api-1-9` devDependency), the service registers its MeterProvider through it, and our series
// reach the service's exporter.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as api19 from 'otel-api-1-9';
import { instrumentFetch, instrumentQuery, startTelemetry } from 'integration-sentinel/shim';
import { sampleValue, startPartnerServer, type PartnerServer } from './partner-server.js';

vi.mock('@opentelemetry/api', () => import('otel-api-1-9'));

let partner: PartnerServer;
let server: Server;
let provider: MeterProvider;
let metricsUrl: string;
beforeAll(async () => {
  partner = await startPartnerServer();
  const exporter = new PrometheusExporter({ preventServerStart: true });
  provider = new MeterProvider({ readers: [exporter] });
  expect(api19.metrics.setGlobalMeterProvider(provider as never)).toBe(true);
  server = createServer((req, res) => exporter.getMetricsRequestHandler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  metricsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await provider.shutdown();
  await partner.close();
});

describe('beside a service on @opentelemetry/api 1.9', () => {
  it("records on the MeterProvider the service registered through its 1.9 API", async () => {
    const { metrics } = await import('@opentelemetry/api');
    expect((metrics as unknown) === (api19.metrics as unknown)).toBe(true); // the shim really runs on 1.9 here
    const telemetry = await startTelemetry({ serviceName: 'api-1-9', useGlobalMeterProvider: true });
    try {
      const ehr = instrumentFetch(fetch, { partner: 'ehr-19' });
      await (await ehr(`${partner.url}/patients/5`)).arrayBuffer();
      await instrumentQuery('lookup_19', async () => 1, { system: 'postgresql' })();
      const text = (await (await fetch(metricsUrl)).text()).replace(/,?otel_scope_name="integration-sentinel"/g, '').replace(/\{,/g, '{');
      const labels = { partner: 'ehr-19', operation: 'GET /patients/{id}', outcome: 'success' };
      expect(sampleValue(text, 'integration_requests_total', labels)).toBe(1);
      expect(sampleValue(text, 'integration_request_duration_seconds_count', labels)).toBe(1);
      expect(sampleValue(text, 'db_client_operation_duration_seconds_count', { db_operation_name: 'lookup_19', db_system_name: 'postgresql' })).toBe(1);
    } finally {
      await telemetry.shutdown();
    }
  });
});
