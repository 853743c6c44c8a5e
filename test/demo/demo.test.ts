import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/demo.js';
import { formatSummary, parseSummary } from '../../src/demo/summary.js';
import { ensureDist, ROOT } from './ensure-dist.js';

describe('sentinel demo', () => {
  it('runs the built command for --duration, prints the /metrics URL and a summary, cuts the replay short, and exits 0', async () => {
    ensureDist();
    const child = spawn(process.execPath, [join(ROOT, 'bin/sentinel.js'), 'demo', '--duration', '3s', '--every', '1s', '--port', '0'], { cwd: ROOT });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/metrics: http:\/\/127\.0\.0\.1:\d+\/metrics/);
    expect(out).toMatch(/calls by partner and outcome after 3s/);
    for (const partner of ['acme-ehr', 'northwind-labs', 'rx-direct']) expect(out).toMatch(new RegExp(`^${partner} +\\d+`, 'm'));
    // At its own pace the replay needs about 25 s: --duration 3s stops it and says where.
    expect(out).toMatch(/replay stopped at (Sun|Mon|Tue|Wed|Thu|Fri|Sat) \d\d:\d\d/);
  });

  it('keeps running with --live until Ctrl-C, then prints a last summary and exits 0', async () => {
    ensureDist();
    const child = spawn(process.execPath, [join(ROOT, 'bin/sentinel.js'), 'demo', '--live', '--scenario', 'none', '--every', '1s', '--port', '0'], { cwd: ROOT });
    let out = '';
    let interrupted = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      if (!interrupted && /calls by partner and outcome after 1s/.test(out)) {
        interrupted = true; // once: a second Ctrl-C is Node's default, an immediate kill
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(out).toMatch(/Ctrl-C to stop/);
    expect(out).toMatch(/stopping…\n[\s\S]*calls by partner and outcome/);
  });

  it('serves the contract metrics and the routing flows gauge while it runs', async () => {
    const lines: string[] = [];
    let metricsText = '';
    const done = run(['--scenario', 'none', '--duration', '2s', '--every', '1s', '--port', '0', '--rate', '20']);
    // scrape it mid-run, like Prometheus would
    const url = await new Promise<string>((resolve) => {
      const orig = process.stdout.write.bind(process.stdout);
      process.stdout.write = ((chunk: string) => {
        lines.push(String(chunk));
        const m = /metrics: (\S+)/.exec(String(chunk));
        if (m) resolve(m[1]!);
        return true;
      }) as typeof process.stdout.write;
      void done.finally(() => (process.stdout.write = orig));
    });
    await new Promise((r) => setTimeout(r, 1200));
    metricsText = await (await fetch(url)).text();
    expect(await done).toBe(0);
    for (const name of ['integration_requests_total{', 'integration_request_duration_seconds_bucket{', 'db_client_operation_duration_seconds_bucket{',
      'integration_queue_events_total{', 'integration_queue_pending_events{', 'integration_queue_oldest_pending_age_seconds{']) {
      expect(metricsText).toContain(name);
    }
    for (const zone of ['zone-a', 'zone-b', 'zone-c']) {
      expect(metricsText).toMatch(new RegExp(`integration_routing_flows\\{zone="${zone}",state="healthy"\\} \\d+`));
      expect(metricsText).toMatch(new RegExp(`integration_routing_flows\\{zone="${zone}",state="unhealthy"\\} \\d+`));
    }
    expect(metricsText).not.toMatch(/Jane|1984-03-07|demo-api-key/);
    expect(lines.join('')).toMatch(/acme-ehr/);
  });

  it('rejects a bad --duration with the fix', async () => {
    const errors: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((c: string) => (errors.push(String(c)), true)) as typeof process.stderr.write;
    try {
      expect(await run(['--duration', 'ten seconds'])).toBe(1);
    } finally {
      process.stderr.write = orig;
    }
    expect(errors.join('')).toMatch(/--duration "ten seconds" is not a duration: write a number and a unit/);
  });
});

describe('the demo summary', () => {
  it('adds up calls by partner and outcome from a scrape, braces in operations included', () => {
    const text = [
      'integration_requests_total{partner="acme-ehr",operation="GET /patients/{id}",outcome="success"} 7',
      'integration_requests_total{partner="acme-ehr",operation="POST /appointments",outcome="success"} 3',
      'integration_requests_total{partner="acme-ehr",operation="GET /patients/{id}",outcome="server_error",error_code="503"} 2',
      'integration_queue_pending_events{queue="ehr-sync"} 4',
    ].join('\n');
    const s = parseSummary(text);
    expect(s.calls.get('acme-ehr')).toEqual(new Map([['success', 10], ['server_error', 2]]));
    expect(formatSummary(s, 5000)).toMatch(/acme-ehr +10 +0 +2 +0 +0 +0 +12\nqueries: 0   queue pending: 4/);
  });
});

describe('sentinel demo options', () => {
  async function rejected(argv: string[]): Promise<string> {
    const errors: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((c: string) => (errors.push(String(c)), true)) as typeof process.stderr.write;
    try {
      expect(await run(argv)).toBe(1);
    } finally {
      process.stderr.write = orig;
    }
    return errors.join('');
  }

  it('rejects an unknown --scenario, listing the ones it can replay', async () => {
    expect(await rejected(['--scenario', 'error-code-shift'])).toContain(
      '--scenario "error-code-shift" is not one of error_code_shift, query_timeout, success_drop, zones_unhealthy, none');
  });

  it('rejects a --speed that is not auto, max or a number of times real time', async () => {
    expect(await rejected(['--speed', 'fast'])).toMatch(/--speed "fast" must be auto, max, or how many times real time/);
    expect(await rejected(['--speed', '0'])).toMatch(/--speed "0" must be/);
  });
});
