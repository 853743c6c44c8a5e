import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/backtest.ts';
import { generateRecording, type GroundTruth } from '../support/recording-generator.ts';
import { TEST_ENV, writeTestPolicy } from '../escalate/support/policy.ts';
import { startFakeSlack } from '../escalate/support/slack-server.ts';
import { startSmtpSink } from '../escalate/support/smtp-sink.ts';
import { runCaptured, type CliOutput } from '../support/cli-output.ts';

const pack = new URL('../../rules/', import.meta.url).pathname;
let dir: string;
let data: string;
let truth: GroundTruth;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sentinel-backtest-'));
  data = join(dir, 'recording.om');
  truth = generateRecording({ scenario: 'error_code_shift', seed: 31, days: 2, out: data });
  // Two broken lines near the top: the run must name them and go on.
  const lines = readFileSync(data, 'utf8').split('\n');
  lines.splice(4, 0, 'integration_requests_total{partner="acme_ehr" 12 1772582400.052', 'this is not a sample');
  writeFileSync(data, lines.join('\n'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const backtest = (argv: string[]): Promise<CliOutput> => runCaptured(run, argv);

describe('sentinel backtest', () => {
  it('--json writes one JSON object per transition on stdout and nothing else, and pages the incident', async () => {
    const { code, stdout, stderr } = await backtest(['--rules', pack, '--data', data, '--json']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const e of events) {
      // The documented keys in their order, then (issue 11) the rule's reasons as `explain`.
      expect(Object.keys(e)).toEqual(['rule', 'state', 'severity', 'labels', 'at', 'value', 'summary', 'explain']);
      expect(e.explain).toMatchObject({ observed: expect.any(Number), reference: expect.any(String) });
      expect(['pending', 'firing', 'resolved']).toContain(e.state);
      expect(e.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    const partner = truth.incident!.entities[0]!.partner;
    const page = events.find((e) => e.rule === 'partner_error_code_shift' && e.state === 'firing');
    expect(page?.severity).toBe('critical');
    expect((page?.labels as Record<string, string>).partner).toBe(partner);
    const minutes = (Date.parse(page!.at as string) - truth.incident!.startMs) / 60_000;
    expect(minutes).toBeLessThanOrEqual(10);
    // The broken lines are reported with their line numbers, on stderr only.
    expect(stderr).toContain(`${data}:5:`);
    expect(stderr).toContain(`${data}:6:`);
    expect(stderr).toMatch(/2 malformed lines skipped/);
  });

  it('without --json prints a table of incidents: rule, entity, fired, resolved, peak', async () => {
    const { code, stdout } = await backtest(['--rules', pack, '--data', data]);
    expect(code).toBe(0);
    const [header, ...rows] = stdout.trim().split('\n');
    expect(header).toMatch(/^RULE\s+SEVERITY\s+ENTITY\s+FIRED\s+RESOLVED\s+PEAK$/);
    expect(rows.some((r) => /^partner_error_code_shift\s+critical\s+partner=\S+ error_code=\S+/.test(r))).toBe(true);
    expect(rows.at(-1)).toMatch(/^\d+ fired \(\d+ critical\)/);
  });

  it('--report writes one self-contained HTML page charting each fired alert with its learned band', async () => {
    const out = join(dir, 'report.html');
    const { code, stdout } = await backtest(['--rules', pack, '--data', data, '--report', out]);
    expect(code).toBe(0);
    expect(stdout).toContain(`report: ${out}`);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).not.toMatch(/<script[^>]+src=/i); // self-contained: uPlot inlined
    expect(html).toContain('partner_error_code_shift');
    // The chart data carries the value and the band (upper bound) for the code-shift alert.
    expect(html).toContain('share of calls with this code');
  });

  it('--notify runs the escalation in the recording\'s clock: the page reaches Slack, stdout stays JSON only', async () => {
    const slack = await startFakeSlack();
    const smtp = await startSmtpSink();
    const saved = { ...process.env };
    Object.assign(process.env, TEST_ENV);
    try {
      const partner = truth.incident!.entities[0]!.partner!;
      const policy = await writeTestPolicy({ slackUrl: slack.url, smtpPort: smtp.port, groupBy: '[partner]', repeatInterval: '4h', partners: { [partner]: `Partner ${partner}` } });
      const { code, stdout } = await backtest(['--rules', pack, '--data', data, '--json', '--notify', policy]);
      expect(code).toBe(0);
      for (const line of stdout.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
      const pages = slack.topLevel().filter((m) => m.text.includes(`Partner ${partner}`));
      expect(pages).toHaveLength(1);
    } finally {
      process.env = saved;
      await slack.close();
      await smtp.close();
    }
  });

  it('--metric names a CSV recording\'s one series, in the run and in the report; prints the first 20 malformed lines, then a count', async () => {
    const csv = join(dir, 'queue-depth.csv');
    const rows = ['timestamp,value'];
    const start = Date.UTC(2026, 2, 2, 9, 0) / 1000;
    for (let m = 0; m < 60; m++) rows.push(`${start + m * 60},${m >= 30 && m < 40 ? Math.max(0, 8 - 2 * (m - 30)) : 20}`);
    for (let i = 0; i < 25; i++) rows.splice(10, 0, `${start},not-a-number`);
    writeFileSync(csv, rows.join('\n') + '\n');
    const rulesFile = join(dir, 'depth.yaml');
    writeFileSync(rulesFile, `rules:
  - name: depth_too_low
    kind: threshold
    select: orders_queue_depth
    op: '<'
    value: 10
    for: 0
    severity: warning
    summary: 'depth {{ $value }}'
`);
    const out = join(dir, 'depth.html');
    const { code, stdout, stderr } = await backtest(['--rules', rulesFile, '--data', csv, '--metric', 'orders_queue_depth', '--report', out]);
    expect(code).toBe(0);
    const row = stdout.split('\n').find((l) => l.startsWith('depth_too_low'));
    expect(row, stdout).toBeDefined();
    expect(row!.trim().split(/\s+/).at(-1)).toBe('0'); // a lower bound's peak is the lowest value while firing
    const shown = stderr.split('\n').filter((l) => l.startsWith(`${csv}:`));
    expect(shown).toHaveLength(20);
    expect(stderr).toContain('\u2026 and 5 more malformed lines');
    expect(stderr).toMatch(/25 malformed lines skipped/);
    // The report's second pass read the same series: its chart has values, and its table the detector's peak.
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<td>0</td>');
    // Without --metric the series is named after the file, and the rule reads nothing.
    const unnamed = await backtest(['--rules', rulesFile, '--data', csv]);
    expect(unnamed.stdout).toContain('no alert fired');
  });

  it('exits 1 with file:line:col when the rules are broken, before reading any data', async () => {
    const broken = new URL('../fixtures/broken-rules/unknown-kind.yaml', import.meta.url).pathname;
    const { code, stdout, stderr } = await backtest(['--rules', broken, '--data', data, '--json']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('unknown-kind.yaml:3:11: unknown kind "error-rate": did you mean "error_rate"?');
  });

  it('says plainly when the data file does not exist', async () => {
    const { code, stderr } = await backtest(['--rules', pack, '--data', join(dir, 'missing.om')]);
    expect(code).toBe(1);
    expect(stderr).toContain('missing.om');
  });
});
