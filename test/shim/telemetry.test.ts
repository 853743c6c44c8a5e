import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { instrumentFetch, instrumentQuery, startTelemetry, trackQueue, type Telemetry } from 'integration-sentinel';
import { sampleValue, scrape, usePartnerAndTelemetry } from './partner-server.js';

const servers = usePartnerAndTelemetry('telemetry-test');

describe('startTelemetry', () => {
  it('serves /metrics on a free port when asked for port 0', async () => {
    expect(servers.telemetry.port).toBeGreaterThan(0);
    expect(servers.telemetry.url).toBe(`http://127.0.0.1:${servers.telemetry.port}/metrics`);
    const text = await scrape(servers.telemetry.url!);
    expect(text).toContain('service_name="telemetry-test"');
  });

  it('exposes every metric of the contract under exactly its scraped name', async () => {
    const f = instrumentFetch(fetch, { partner: 'names-partner' });
    await f(`${servers.partner.url}/patients`);
    await f(`${servers.partner.url}/status/503`);
    await instrumentQuery('names_query', async () => 1, { system: 'postgresql' })();
    const q = trackQueue('names-queue');
    q.processed(q.enqueued('patient.updated'));
    q.enqueued('patient.updated');
    const text = await scrape(servers.telemetry.url!);
    q.close();
    const types = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(types).toEqual(expect.arrayContaining([
      'integration_requests_total counter',
      'integration_request_duration_seconds histogram',
      'db_client_operation_duration_seconds histogram',
      'integration_queue_events_total counter',
      'integration_queue_pending_events gauge',
      'integration_queue_oldest_pending_age_seconds gauge',
    ]));
    // no unit suffix doubled, no _total_total, no scope labels on our series
    expect(text).not.toMatch(/_seconds_seconds|_total_total|otel_scope_name/);
    expect(sampleValue(text, 'integration_requests_total', { partner: 'names-partner', operation: 'GET /patients', outcome: 'success' })).toBe(1);
    expect(sampleValue(text, 'integration_requests_total', { partner: 'names-partner', operation: 'GET /status/{id}', outcome: 'server_error', error_code: '503' })).toBe(1);
    expect(sampleValue(text, 'integration_request_duration_seconds_count', { partner: 'names-partner', operation: 'GET /status/{id}', outcome: 'server_error' })).toBe(1);
    expect(sampleValue(text, 'integration_request_duration_seconds_bucket', { partner: 'names-partner', operation: 'GET /patients', outcome: 'success', le: '30' })).toBe(1);
    expect(sampleValue(text, 'db_client_operation_duration_seconds_count', { db_operation_name: 'names_query', db_system_name: 'postgresql' })).toBe(1);
    expect(sampleValue(text, 'integration_queue_events_total', { queue: 'names-queue', event_type: 'patient.updated', outcome: 'enqueued' })).toBe(2);
    expect(sampleValue(text, 'integration_queue_pending_events', { queue: 'names-queue' })).toBe(1);
  });

  // CI installs Debian's prometheus package (.ci/run); promtool is Prometheus' own parser and linter.
  it.skipIf(!existsSync('/usr/bin/promtool'))('serves text that promtool check metrics accepts without a lint warning', async () => {
    const f = instrumentFetch(fetch, { partner: 'lint-partner' });
    await f(`${servers.partner.url}/patients/1`);
    await f(`${servers.partner.url}/status/401`);
    const text = await scrape(servers.telemetry.url!);
    const result = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('says which port is taken instead of failing silently', async () => {
    await expect(startTelemetry({ serviceName: 'clash', port: servers.telemetry.port })).rejects.toThrow(/cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)/);
  });

  it('refuses to start without a service name', async () => {
    await expect(startTelemetry({} as never)).rejects.toThrow(/serviceName is required/);
  });
});
