// `sentinel record` against a live /metrics served by the real OTel Prometheus exporter, then
// `sentinel backtest --data` on what it wrote: the incident the service went through pages.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as backtest } from '../../../src/cli/backtest.ts';
import { Recorder } from '../../../src/ingest/record/index.ts';
import { ensureBuilt, REPO } from '../../service/support/cli.ts';
import { authFailuresRules } from '../../service/support/auth-failures-rule.js';
import { runCaptured } from '../../support/cli-output.ts';

const MIN = 60_000;
const T0 = Date.parse('2026-11-23T02:00:00Z');
const RULES = authFailuresRules({ for: '2m' });

let dir: string;
let server: Server;
let url: string;
let provider: MeterProvider;
let requests: ReturnType<ReturnType<MeterProvider['getMeter']>['createCounter']>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sentinel-record-'));
  writeFileSync(join(dir, 'rules.yaml'), RULES);
  const exporter = new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true });
  provider = new MeterProvider({ readers: [exporter] });
  requests = provider.getMeter('checkin-api').createCounter('integration_requests');
  server = createServer((req, res) => exporter.getMetricsRequestHandler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
});
afterAll(async () => {
  await provider.shutdown();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const cli = runCaptured;

describe('sentinel record', () => {
  it('records a live /metrics with timestamps, and backtest on the recording pages the incident it saw', async () => {
    const out = join(dir, 'checkin.om');
    const recorder = new Recorder({ target: url, out, maxBytes: 1 << 30, timeoutMs: 5_000 });
    // 40 simulated minutes, one scrape each; the partner answers 401s from minute 20 to 30.
    for (let m = 0; m < 40; m++) {
      requests.add(20, { partner: 'acme_ehr', operation: 'POST /check-ins', outcome: 'success' });
      if (m >= 20 && m < 30) requests.add(30, { partner: 'acme_ehr', operation: 'POST /check-ins', outcome: 'auth_error', error_code: '401' });
      await recorder.scrapeOnce(T0 + m * MIN);
    }
    await recorder.close();
    const text = readFileSync(out, 'utf8');
    expect(text.endsWith('# EOF\n')).toBe(true);
    expect(text.split('\n')).toContain(`integration_requests_total{operation="POST /check-ins",outcome="success",partner="acme_ehr"} 20 ${T0 / 1000}.000`);
    const { code, stdout } = await cli(backtest, ['--rules', join(dir, 'rules.yaml'), '--data', out]);
    expect(code).toBe(0);
    const row = stdout.split('\n').find((l) => l.startsWith('partner_auth_failures'));
    expect(row).toMatch(/critical\s+partner=acme_ehr\s+2026-11-23T02:2\d:00Z\s+2026-11-23T02:3\d:00Z/);
  });

  it('as a command: scrapes every interval, rotates by size with # EOF on every part, and stops cleanly on SIGTERM', async () => {
    ensureBuilt();
    const out = join(dir, 'live.om');
    const child = spawn(process.execPath, [join(REPO, 'bin', 'sentinel.js'), 'record', '--target', url, '--out', out, '--interval', '100ms', '--max-size', '1KB'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    await new Promise((r) => setTimeout(r, 1_500));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/samples from \d+ of \d+ scrapes written/);
    const parts = readdirSync(dir).filter((f) => /^live-\d{4}\.om$/.test(f)).sort();
    expect(parts.length).toBeGreaterThan(0);
    const stamps: number[] = [];
    for (const f of [...parts.map((p) => join(dir, p)), out]) {
      const t = readFileSync(f, 'utf8');
      expect(t.endsWith('# EOF\n'), f).toBe(true);
      for (const line of t.split('\n')) if (line && !line.startsWith('#')) stamps.push(Number(line.split(' ').at(-1)));
    }
    expect(new Set(stamps).size).toBeGreaterThanOrEqual(5);
    expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);
  }, 60_000);
});
