// The shim's one registry: every series lives in one object on globalThis (the shared-state pattern
// of @opentelemetry/api), tests can reset it, and a second copy of the shim in the same process
// counts into the same series rather than exporting them twice.
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { instrumentFetch, instrumentQuery, resetShimRegistry, startTelemetry, trackQueue } from 'integration-sentinel/shim';
import { registry } from '../../src/shim/registry.js';
import { ensureDist, ROOT } from '../demo/ensure-dist.js';
import { sampleValue, scrape, usePartnerAndTelemetry } from './partner-server.js';

const servers = usePartnerAndTelemetry('registry-test');
const requests = (text: string, outcome: string) =>
  sampleValue(text, 'integration_requests_total', { partner: 'reused', operation: 'GET /patients/{id}', outcome });

describe('the shim registry', () => {
  it('is one object on globalThis under a Symbol.for key', () => {
    const key = Symbol.for('integration-sentinel.shim.registry.v1');
    expect((globalThis as Record<symbol, unknown>)[key]).toBe(registry());
  });

  it('after a reset, a reused partner name starts from zero on a telemetry started afresh', async () => {
    const before = instrumentFetch(fetch, { partner: 'reused' });
    await before(`${servers.partner.url}/patients/1`);
    await before(`${servers.partner.url}/patients/2`);
    instrumentQuery('reset_query', () => 1)();
    trackQueue('reset-queue').enqueued('patient.updated');
    let text = await scrape(servers.telemetry.url!);
    expect(requests(text, 'success')).toBe(2);
    expect(sampleValue(text, 'integration_queue_pending_events', { queue: 'reset-queue' })).toBe(1);

    resetShimRegistry();
    expect([registry().slots.size, registry().requestSeries.length, registry().gauges.size]).toEqual([0, 0, 0]);
    // The SDK behind a running exporter remembers cumulative series it has seen: a clean /metrics
    // after a reset comes from a telemetry started after it.
    const fresh = await startTelemetry({ serviceName: 'registry-test-fresh', port: 0 });
    try {
      const after = instrumentFetch(fetch, { partner: 'reused' });
      await after(`${servers.partner.url}/patients/3`);
      text = await scrape(fresh.url!);
      expect(requests(text, 'success')).toBe(1);
      expect(sampleValue(text, 'integration_request_duration_seconds_count', { partner: 'reused', operation: 'GET /patients/{id}', outcome: 'success' })).toBe(1);
      expect(text).not.toContain('reset_query');
      expect(text).not.toContain('reset-queue');
    } finally {
      await fresh.shutdown();
    }
  });

  it('is shared by two copies of the shim loaded in one process', () => {
    ensureDist();
    // A second URL of the same file is a second module instance with module state of its own.
    const url = pathToFileURL(join(ROOT, 'dist/shim/index.js')).href;
    const script = `
      const a = await import(${JSON.stringify(url)});
      const b = await import(${JSON.stringify(url + '?second-copy')});
      const telemetry = await a.startTelemetry({ serviceName: 'two-copies', port: 0 });
      b.instrumentQuery('copy_query', () => 1)();
      a.instrumentQuery('copy_query', () => 2)();
      const text = await (await fetch(telemetry.url)).text();
      await telemetry.shutdown();
      process.stdout.write(text);
    `;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n').filter((l) => l.startsWith('db_client_operation_duration_seconds_count{db_operation_name="copy_query"'));
    expect(lines).toEqual(['db_client_operation_duration_seconds_count{db_operation_name="copy_query",db_system_name="other_sql"} 2']);
  }, 120_000); // ensureDist may rebuild dist/ first
});
