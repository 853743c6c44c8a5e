// Successful fetch calls are counted in batches (src/shim/pending-calls.ts): a reading must still see
// every call that returned before it, in the counter and the histogram alike, whether the batch is
// full or not, on our own exporter and on a service's MeterProvider, including the last export a
// provider makes when it shuts down (what a NodeSDK does as the process exits).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metrics } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { instrumentFetch, startTelemetry } from 'integration-sentinel/shim';
import { PENDING_CAPACITY } from '../../src/shim/pending-calls.js';
import { sampleValue, scrape, startPartnerServer, type PartnerServer } from './partner-server.js';

let partner: PartnerServer;
beforeAll(async () => { partner = await startPartnerServer(); });
afterAll(async () => { await partner.close(); });

async function call(f: typeof fetch, n: number, path = '/patients/'): Promise<void> {
  for (let i = 0; i < n; i++) await (await f(`${partner.url}${path}${i}`)).arrayBuffer();
}

describe('batched counting of successful fetch calls', () => {
  it('shows every returned call at a scrape, in the counter and the histogram, mid-batch and past full batches', async () => {
    const telemetry = await startTelemetry({ serviceName: 'pending-own', port: 0 });
    try {
      const f = instrumentFetch(fetch, { partner: 'pending-own' });
      const success = { partner: 'pending-own', operation: 'GET /patients/{id}', outcome: 'success' };
      const both = (text: string) => [
        sampleValue(text, 'integration_requests_total', success),
        sampleValue(text, 'integration_request_duration_seconds_count', success),
      ];
      await call(f, 3);
      expect(both(await scrape(telemetry.url!))).toEqual([3, 3]);
      const many = 2 * PENDING_CAPACITY + 7; // two full batches and a partial one
      await call(f, many);
      expect(both(await scrape(telemetry.url!))).toEqual([3 + many, 3 + many]);
      // failures are counted at once, beside the pending successes
      await call(f, 2, '/status/503?');
      const text = await scrape(telemetry.url!);
      expect(both(text)).toEqual([3 + many, 3 + many]);
      expect(sampleValue(text, 'integration_requests_total', { partner: 'pending-own', operation: 'GET /status/{id}', outcome: 'server_error', error_code: '503' })).toBe(2);
    } finally {
      await telemetry.shutdown();
    }
  });

  it("reaches a service's MeterProvider in its last export at shutdown, histograms included", async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    // An interval far longer than the test: the only export is the one shutdown makes.
    const provider = new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 600_000 })] });
    metrics.setGlobalMeterProvider(provider);
    const telemetry = await startTelemetry({ serviceName: 'pending-sdk', useGlobalMeterProvider: true });
    try {
      const f = instrumentFetch(fetch, { partner: 'pending-sdk' });
      await call(f, 5);
      await provider.shutdown();
      const exported = exporter.getMetrics().flatMap((r) => r.scopeMetrics).flatMap((s) => s.metrics);
      const ours = (name: string): Array<{ attributes: Record<string, unknown>; value: unknown }> =>
        exported.filter((m) => m.descriptor.name === name).flatMap((m) => m.dataPoints as Array<{ attributes: Record<string, unknown>; value: unknown }>)
          .filter((p) => p.attributes.partner === 'pending-sdk' && p.attributes.outcome === 'success');
      expect(ours('integration_requests_total').map((p) => p.value)).toEqual([5]);
      expect(ours('integration_request_duration_seconds').map((p) => (p as HistogramMetricData['dataPoints'][number]).value.count)).toEqual([5]);
    } finally {
      await telemetry.shutdown();
      metrics.disable();
    }
  });
});
