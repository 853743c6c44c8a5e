// Beside a service's NodeSDK started *before* the shim, in both of the ways a service can run us:
// on the SDK's global provider (useGlobalMeterProvider), and with our own /metrics beside it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentFetch, startTelemetry } from 'integration-sentinel/shim';
import { sampleValue, scrape, startPartnerServer, type PartnerServer } from './partner-server.js';
import { sdkScrape, startNodeSdk, type RunningSdk } from './support/node-sdk.js';

let partner: PartnerServer;
let sdk: RunningSdk;
beforeAll(async () => {
  partner = await startPartnerServer();
  sdk = await startNodeSdk('first-sdk');
});
afterAll(async () => {
  await sdk.shutdown();
  await partner.close();
});

describe('a NodeSDK started before the shim', () => {
  it('exports our series through its own reader with useGlobalMeterProvider', async () => {
    const telemetry = await startTelemetry({ serviceName: 'first-sdk', useGlobalMeterProvider: true });
    try {
      const ehr = instrumentFetch(fetch, { partner: 'first-ehr' });
      await (await ehr(`${partner.url}/patients/7`)).arrayBuffer();
      const text = await sdkScrape(sdk.metricsUrl);
      const labels = { partner: 'first-ehr', operation: 'GET /patients/{id}', outcome: 'success' };
      expect(sampleValue(text, 'integration_requests_total', labels)).toBe(1);
      expect(sampleValue(text, 'integration_request_duration_seconds_count', labels)).toBe(1);
    } finally {
      await telemetry.shutdown();
    }
  });

  it('runs its own /metrics beside the SDK without touching the SDK', async () => {
    const telemetry = await startTelemetry({ serviceName: 'own-beside-sdk', port: 0 });
    try {
      const ehr = instrumentFetch(fetch, { partner: 'own-ehr' });
      await (await ehr(`${partner.url}/patients/8`)).arrayBuffer();
      const ours = await scrape(telemetry.url!);
      expect(sampleValue(ours, 'integration_requests_total', { partner: 'own-ehr', operation: 'GET /patients/{id}', outcome: 'success' })).toBe(1);
      expect(await sdkScrape(sdk.metricsUrl)).not.toContain('own-ehr');
    } finally {
      await telemetry.shutdown();
    }
  });
});
