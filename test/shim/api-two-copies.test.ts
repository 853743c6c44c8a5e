// Two copies of @opentelemetry/api in one process (the service's 1.9, the shim's 1.10): the newer
// copy cannot read a global registered by the older one, so the shim's calls reach no exporter.
// It must not stay silent: one warning names the version that registered and the fix.
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import * as api19 from 'otel-api-1-9';
import { instrumentQuery, startTelemetry } from 'integration-sentinel/shim';
import { eventually } from '../service/support/cli.js';

describe('a MeterProvider registered through another copy of the API', () => {
  it('is reported in one warning that names its version and says to install one copy', async () => {
    const provider = new MeterProvider();
    api19.metrics.setGlobalMeterProvider(provider as never);
    const warnings: Error[] = [];
    const onWarning = (w: Error) => { if ((w as { code?: string }).code === 'SENTINEL_NOOP_METER_PROVIDER') warnings.push(w); };
    process.on('warning', onWarning);
    const telemetry = await startTelemetry({ serviceName: 'two-copies', useGlobalMeterProvider: true });
    try {
      await instrumentQuery('two_copies_lookup', async () => 1)();
      await eventually(() => warnings.length > 0, 'the warning', 6_000);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.message).toContain('registered through @opentelemetry/api 1.9.0');
      expect(warnings[0]!.message).toContain('Install one copy of @opentelemetry/api');
    } finally {
      process.off('warning', onWarning);
      await telemetry.shutdown();
      await provider.shutdown();
    }
  });
});
