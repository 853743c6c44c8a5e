// Beside a service's NodeSDK started *after* the shim (useGlobalMeterProvider): until the SDK
// arrives the global provider is the API's no-op, the shim says so once, and binds when the SDK
// registers; nothing recorded before is lost, histograms included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentFetch, instrumentQuery, startTelemetry, type Telemetry } from 'integration-sentinel/shim';
import { sampleValue, startPartnerServer, type PartnerServer } from './partner-server.js';
import { sdkScrape, startNodeSdk, type RunningSdk } from './support/node-sdk.js';
import { eventually } from '../service/support/cli.js';

let partner: PartnerServer;
let telemetry: Telemetry;
let sdk: RunningSdk | undefined;
beforeAll(async () => { partner = await startPartnerServer(); });
afterAll(async () => {
  await telemetry?.shutdown();
  await sdk?.shutdown();
  await partner.close();
});

describe('a NodeSDK started after startTelemetry({ useGlobalMeterProvider: true })', () => {
  it('warns once while nothing exports, then binds when the SDK starts, keeping the calls made before', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => { if ((w as { code?: string }).code === 'SENTINEL_NOOP_METER_PROVIDER') warnings.push(w); };
    process.on('warning', onWarning);
    telemetry = await startTelemetry({ serviceName: 'late-sdk', useGlobalMeterProvider: true });
    const ehr = instrumentFetch(fetch, { partner: 'late-ehr' });
    const lookup = instrumentQuery('late_lookup', async () => 1, { system: 'postgresql' });
    await (await ehr(`${partner.url}/patients/1`)).arrayBuffer();
    await (await ehr(`${partner.url}/status/503`)).arrayBuffer();
    await lookup();
    await eventually(() => warnings.length === 1, 'the no-op provider warning', 6_000);
    expect(warnings[0]!.message).toMatch(/no MeterProvider exports them.*startTelemetry|NodeSDK/);

    sdk = await startNodeSdk('late-sdk');
    const text = await eventually(async () => {
      const t = await sdkScrape(sdk!.metricsUrl);
      return t.includes('late-ehr') && t.includes('late_lookup') ? t : undefined;
    }, 'our series on the SDK exporter', 6_000);
    const success = { partner: 'late-ehr', operation: 'GET /patients/{id}', outcome: 'success' };
    expect(sampleValue(text, 'integration_requests_total', success)).toBe(1);
    expect(sampleValue(text, 'integration_requests_total', { partner: 'late-ehr', operation: 'GET /status/{id}', outcome: 'server_error', error_code: '503' })).toBe(1);
    // histograms too: the values recorded before the SDK came were held and handed over
    expect(sampleValue(text, 'integration_request_duration_seconds_count', success)).toBe(1);
    expect(sampleValue(text, 'db_client_operation_duration_seconds_count', { db_operation_name: 'late_lookup', db_system_name: 'postgresql' })).toBe(1);

    await (await ehr(`${partner.url}/patients/2`)).arrayBuffer();
    const after = await sdkScrape(sdk.metricsUrl);
    expect(sampleValue(after, 'integration_requests_total', success)).toBe(2);
    expect(sampleValue(after, 'integration_request_duration_seconds_count', success)).toBe(2);
    process.off('warning', onWarning);
    expect(warnings).toHaveLength(1);
  });
});
