// `sentinel backtest --prometheus` against a real Prometheus filled from a generated recording finds
// the same incidents, within one evaluation step, as `sentinel backtest --data` on that recording; and
// when Prometheus is down, refuses the token, fails or stalls on some windows, or warns of partial data,
// the run says so by query and window. A proxy in front of the real server plays the bad parts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/backtest.ts';
import { generateRecording, type GroundTruth } from '../../support/recording-generator.ts';
import { findBinary } from '../../e2e/support/processes.ts';
import { faultyProxy, prometheusBinary, prometheusWithHistory, promtoolBinary } from './support.ts';
import { runCaptured, type CliOutput } from '../../support/cli-output.ts';

const pack = new URL('../../../rules/', import.meta.url).pathname;
const STEP_MS = 60_000;
let dir: string;
let data: string;
let truth: GroundTruth;
let prom: Awaited<ReturnType<typeof prometheusWithHistory>> | undefined;

async function backtest(argv: string[]): Promise<CliOutput & { ms: number }> {
  const started = Date.now();
  const out = await runCaptured(run, argv);
  return { ...out, ms: Date.now() - started };
}

interface Transition { rule: string; state: string; labels: Record<string, string>; at: string }
const transitions = (stdout: string): Transition[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Transition);
const key = (t: Transition): string => `${t.rule} ${JSON.stringify(t.labels)} ${t.state}`;

const available = prometheusBinary !== undefined && promtoolBinary !== undefined;

describe.skipIf(!available)('sentinel backtest --prometheus (real Prometheus, history from promtool)', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sentinel-backtest-prom-'));
    data = join(dir, 'recording.om');
    truth = generateRecording({ scenario: 'error_code_shift', seed: 3, days: 3, out: data });
    // What the team's own Prometheus rules did during that incident: pending 5 minutes, then firing an hour.
    const alerts = join(dir, 'alerts.om');
    const lines = ['# TYPE ALERTS gauge'];
    const partner = truth.incident!.entities[0]!.partner;
    for (let t = truth.incident!.startMs + 15 * 60_000; t < truth.incident!.startMs + 80 * 60_000; t += 60_000) {
      const state = t < truth.incident!.startMs + 20 * 60_000 ? 'pending' : 'firing';
      lines.push(`ALERTS{alertname="PartnerErrors",alertstate="${state}",partner="${partner}",severity="page"} 1 ${t / 1000}`);
    }
    writeFileSync(alerts, lines.join('\n') + '\n# EOF\n');
    prom = await prometheusWithHistory([data, alerts], (truth.endMs - truth.startMs) / 3_600_000);
  }, 60_000);
  afterAll(async () => {
    await prom?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pages the same incidents as --data on the original recording, each transition within one step', async () => {
    const fromFile = await backtest(['--rules', pack, '--data', data, '--json']);
    const from = new Date(truth.startMs).toISOString();
    const to = new Date(truth.endMs).toISOString();
    const fromProm = await backtest(['--rules', pack, '--prometheus', prom!.url, '--from', from, '--to', to, '--step', '60s', '--json']);
    expect(fromFile.code).toBe(0);
    expect(fromProm.stderr).not.toMatch(/NOT READ/);
    expect(fromProm.code).toBe(0);
    const a = transitions(fromFile.stdout);
    const b = transitions(fromProm.stdout);
    expect(a.some((t) => t.rule === 'partner_error_code_shift' && t.state === 'firing' && t.labels.partner === truth.incident!.entities[0]!.partner)).toBe(true);
    expect(b.map(key)).toEqual(a.map(key));
    for (let i = 0; i < a.length; i++) {
      // A recorded scrape at t+jitter is what query_range shows at the next step: at most one step later.
      expect(Math.abs(Date.parse(b[i]!.at) - Date.parse(a[i]!.at)), key(a[i]!)).toBeLessThanOrEqual(STEP_MS + 1000);
    }
    const summary = (s: string): string => s.trim().split('\n').at(-1)!;
    console.log(`equivalence: --data ${summary(fromFile.stderr)} in ${fromFile.ms} ms; --prometheus ${summary(fromProm.stderr)} in ${fromProm.ms} ms; promtool import ${prom!.importMs} ms; ${a.length} transitions`);
  }, 60_000);

  const window = (): string[] => ['--from', new Date(truth.startMs).toISOString(), '--to', new Date(truth.endMs).toISOString()];

  it('--compare-alerts lists what Prometheus itself fired (ALERTS) beside our incidents; --report charts them', async () => {
    const report = join(dir, 'report.html');
    const { code, stdout } = await backtest(['--rules', pack, '--prometheus', prom!.url, ...window(), '--compare-alerts', '--report', report]);
    expect(code).toBe(0);
    // --report reads the history a second time, from Prometheus too, for the fired alert's chart.
    expect(readFileSync(report, 'utf8')).toContain('partner_error_code_shift');
    expect(readFileSync(report, 'utf8')).toContain(prom!.url);
    const [ours, theirs] = stdout.split('What Prometheus itself fired');
    expect(ours).toMatch(/^partner_error_code_shift\s+critical\s+partner=/m);
    const partner = truth.incident!.entities[0]!.partner;
    const from = new Date(truth.incident!.startMs + 20 * 60_000).toISOString().replace('.000Z', 'Z');
    // The last firing sample is at +79 min; imported history has no staleness marker (a live rule
    // manager writes one when the alert resolves), so query_range shows it for its 5-minute lookback.
    const to = new Date(truth.incident!.startMs + 84 * 60_000).toISOString().replace('.000Z', 'Z');
    expect(theirs).toMatch(new RegExp(`^PartnerErrors\\s+partner=${partner} severity=page\\s+${from}\\s+${to}$`, 'm'));
    expect(theirs).toContain('1 alert interval recorded by Prometheus');
  }, 30_000);

  it('says which windows it could not read (a 503, a stalled answer) by query, keeps the rest, and warns of partial data', async () => {
    const from = Math.ceil(truth.startMs / STEP_MS) * STEP_MS / 1000;
    const day = 86_400; // windows are 720 steps (12 h): these are starts of windows 2 and 6
    const proxy = await faultyProxy(prom!.url, { token: 'tok-1', failStarts: new Set([from + day]), slowStarts: new Set([from + 3 * day]), slowMs: 4_000, warnStarts: new Set([from]) });
    try {
      const { code, stdout, stderr } = await backtest(['--rules', pack, '--prometheus', proxy.url, ...window(), '--query-timeout', '3s', '--bearer-token-file', writeToken('tok-1')]);
      expect(code).toBe(1);
      expect(stderr).toMatch(/NOT READ: 18 queries failed in 2 of 7 windows; their samples are missing from this backtest/);
      expect(stderr).toMatch(/2026-03-06T00:00:00Z\.\.2026-03-06T11:59:00Z {2}query_range integration_requests_total from 2026-03-06T00:00:00Z to 2026-03-06T11:59:00Z: Prometheus answered 503: injected: too many queries; fix: /);
      expect(stderr).toMatch(/2026-03-08T00:00:00Z\.\.2026-03-08T00:00:00Z {2}query_range \S+ from .*: Prometheus at http:\/\/127\.0\.0\.1:\d+ did not answer within 3 s; fix: give it longer with --query-timeout/);
      expect(stderr).toMatch(/warning from Prometheus: query_range \S+ from 2026-03-05T00:00:00Z .*: injected: remote store eu-west-2 did not answer, partial data/);
      // The incident on the third day was read and still pages.
      expect(stdout).toMatch(/^partner_error_code_shift\s+critical/m);
    } finally {
      await proxy.close();
    }
  }, 30_000);

  it('stops at once, naming the fix, when Prometheus refuses the token or is not there', async () => {
    const proxy = await faultyProxy(prom!.url, { token: 'right' });
    try {
      process.env.SENTINEL_PROMETHEUS_TOKEN = 'wrong';
      const refused = await backtest(['--rules', pack, '--prometheus', proxy.url, ...window()]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/reaching Prometheus at http:\/\/127\.0\.0\.1:\d+: Prometheus at \S+ answered 401; fix: pass a valid token with --bearer-token-file FILE or SENTINEL_PROMETHEUS_TOKEN/);
      process.env.SENTINEL_PROMETHEUS_TOKEN = 'right';
      const allowed = await backtest(['--rules', pack, '--prometheus', proxy.url, '--from', new Date(truth.endMs - 3_600_000).toISOString(), '--to', new Date(truth.endMs).toISOString()]);
      expect(allowed.code).toBe(0);
      expect(proxy.seen.length).toBeGreaterThan(0);
    } finally {
      delete process.env.SENTINEL_PROMETHEUS_TOKEN;
      await proxy.close();
    }
    const down = await backtest(['--rules', pack, '--prometheus', 'http://127.0.0.1:1', ...window()]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/reaching Prometheus at http:\/\/127\.0\.0\.1:1: cannot reach Prometheus at http:\/\/127\.0\.0\.1:1: ECONNREFUSED .*; fix: is Prometheus running and is --prometheus http:\/\/127\.0\.0\.1:1 right\?/);
  }, 30_000);

  it('refuses a selector Prometheus would refuse (RE2 has no lookahead) at the rule file, before sending any query', async () => {
    // Matchers are RE2 as in Prometheus, so the rule loader names the file and line instead of a 400 per window.
    const rules = join(dir, 'lookahead.yaml');
    writeFileSync(rules, `rules:
  - name: acme_errors
    kind: threshold
    select: integration_requests_total{partner=~"(?=acme).*",outcome!="success"}
    by: [partner]
    rate_window: 5m
    op: '>'
    value: 1
    severity: warning
    summary: 'errors'
`);
    const proxy = await faultyProxy(prom!.url, { token: 'v' });
    process.env.SENTINEL_PROMETHEUS_TOKEN = 'v';
    let result;
    try {
      result = await backtest(['--rules', rules, '--prometheus', proxy.url, '--from', new Date(truth.endMs - 3_600_000).toISOString(), '--to', new Date(truth.endMs).toISOString()]);
    } finally {
      delete process.env.SENTINEL_PROMETHEUS_TOKEN;
      await proxy.close();
    }
    const { code, stderr } = result;
    expect(code).toBe(1);
    expect(proxy.seen.filter((q) => q.includes('(?=acme)'))).toHaveLength(0);
    expect(stderr).toMatch(/lookahead\.yaml:4:\d+: bad regular expression for partner: invalid or unsupported Perl syntax.*RE2/);
  }, 30_000);

  it.skipIf(!findBinary('openssl'))('over TLS: needs --ca-file for a private CA, a client certificate where asked, and --insecure-skip-verify skips the check', async () => {
    const certDir = mkdtempSync(join(tmpdir(), 'sentinel-tls-'));
    try {
      const key = join(certDir, 'key.pem');
      const cert = join(certDir, 'cert.pem');
      // One self-signed certificate serves as the server's, the client's and both CAs.
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
      const pem = { cert: readFileSync(cert), key: readFileSync(key) };
      const lastHour = ['--from', new Date(truth.endMs - 3_600_000).toISOString(), '--to', new Date(truth.endMs).toISOString()];
      const proxy = await faultyProxy(prom!.url, { token: 't', tls: { ...pem, clientCa: pem.cert } });
      process.env.SENTINEL_PROMETHEUS_TOKEN = 't';
      try {
        const untrusted = await backtest(['--rules', pack, '--prometheus', proxy.url, ...lastHour]);
        expect(untrusted.code).toBe(1);
        expect(untrusted.stderr).toMatch(/certificate.*; fix: pass the server's CA with --ca-file, or --insecure-skip-verify/);
        const noClientCert = await backtest(['--rules', pack, '--prometheus', proxy.url, ...lastHour, '--ca-file', cert]);
        expect(noClientCert.code).toBe(1);
        const mutual = await backtest(['--rules', pack, '--prometheus', proxy.url, ...lastHour, '--ca-file', cert, '--cert-file', cert, '--key-file', key]);
        expect(mutual.stderr).toMatch(/samples in 6\d scrapes/);
        expect(mutual.code).toBe(0);
        const skip = await backtest(['--rules', pack, '--prometheus', proxy.url, ...lastHour, '--insecure-skip-verify', '--cert-file', cert, '--key-file', key]);
        expect(skip.code).toBe(0);
      } finally {
        delete process.env.SENTINEL_PROMETHEUS_TOKEN;
        await proxy.close();
      }
    } finally {
      rmSync(certDir, { recursive: true, force: true });
    }
  }, 30_000);
});

function writeToken(token: string): string {
  const file = join(dir, 'token');
  writeFileSync(file, token + '\n');
  return file;
}
