// Mistakes a backtest used to swallow: a selector that matches nothing, a data file that is not a
// recording, a report with nowhere to go, --notify without its secrets.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/backtest.ts';
import { generateRecording } from '../support/recording-generator.ts';
import { writeTestPolicy } from '../escalate/support/policy.ts';
import { runCaptured, type CliOutput } from '../support/cli-output.ts';

const pack = new URL('../../rules/', import.meta.url).pathname;
let dir: string;
let data: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sentinel-backtest-mistakes-'));
  data = join(dir, 'recording.om');
  generateRecording({ scenario: 'error_code_shift', seed: 31, days: 2, out: data });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const backtest = (argv: string[]): Promise<CliOutput> => runCaptured(run, argv);

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('backtest: silent mistakes are reported', () => {
  it('names a rule whose selector matched no series, with a did-you-mean on the metric or the label', async () => {
    const rules = file('typo.yaml', [
      'rules:',
      '  - name: partner_success_drop',
      '    kind: success_drop',
      '    select: integration_request_total{outcome="success"}',
      '    severity: critical',
      '    summary: "{{ $labels.partner }}"',
      '  - name: partner_errors',
      '    kind: error_rate',
      '    select: integration_requests_total{partnr="acme_ehr"}',
      '    by: [partnr]',
      '    severity: warning',
      '    summary: "{{ $labels.partnr }}"',
      '',
    ].join('\n'));
    const { code, stderr } = await backtest(['--rules', rules, '--data', data]);
    expect(code).toBe(0);
    expect(stderr).toContain('partner_success_drop: no series matched integration_request_total{outcome="success"}: did you mean integration_requests_total?\n');
    expect(stderr).toContain('partner_errors: no series matched integration_requests_total{partnr="acme_ehr"}: integration_requests_total has no label partnr: did you mean partner?\n');
  });

  it('says nothing about rules that matched', async () => {
    const { stderr } = await backtest(['--rules', join(pack, 'partners.yaml'), '--data', data]);
    expect(stderr).not.toContain('no series matched');
  });

  it.each([
    ['empty.om', '', /empty\.om is empty/],
    ['api.json', '{"status":"success","data":{"resultType":"matrix","result":[]}}\n', /api\.json is JSON \(the Prometheus HTTP API's output\?\), not a recording/],
    ['scrape.txt', '# TYPE up gauge\nup{job="a"} 1\nintegration_requests_total{partner="a"} 3\n', /scrape\.txt is a \/metrics body without timestamps \(one scrape, not a recording\)/],
    ['dump.txt', '{__name__="up", instance="a"} 1 1700000000000\n', /dump\.txt is `promtool tsdb dump` output .*dump-openmetrics/],
    ['blob.bin', '\x1f\x8b\x08\x00\x00\x00', /blob\.bin is a binary file/],
  ])('exits 1 when it read 0 samples from %s, naming the format', async (name, text, reason) => {
    const { code, stderr } = await backtest(['--rules', pack, '--data', file(name, text)]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/sentinel backtest: read 0 samples: /);
    expect(stderr).toMatch(reason);
  });

  it('--report to a folder that does not exist is one line, before the run', async () => {
    const { code, stdout, stderr } = await backtest(['--rules', pack, '--data', data, '--report', join(dir, 'nope', 'report.html')]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`sentinel backtest: --report ${join(dir, 'nope', 'report.html')}: folder ${join(dir, 'nope')} does not exist: create it (mkdir -p ${join(dir, 'nope')}) or write the file elsewhere\n`);
    mkdirSync(join(dir, 'reports'));
    expect((await backtest(['--rules', pack, '--data', data, '--report', join(dir, 'reports')])).stderr).toMatch(/is a folder: give a file name/);
  });

  it('--notify without its secrets refuses with the list; --dry-run prints the messages and sends nothing', async () => {
    // The policy points at a port where nothing listens: only the dry run's sinks may receive anything.
    const policy = await writeTestPolicy({ slackUrl: 'http://127.0.0.1:9/api/', smtpPort: 9, groupBy: '[partner]', partners: { acme_ehr: 'Acme EHR' } });
    const saved = { ...process.env };
    for (const name of ['TEST_SLACK_TOKEN', 'TEST_SMTP_PASSWORD']) delete process.env[name];
    try {
      const refused = await backtest(['--rules', pack, '--data', data, '--notify', policy]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe([
        `sentinel backtest: --notify ${policy} needs these environment variables, which are not set:`,
        '  TEST_SLACK_TOKEN: the Slack bot token of receiver oncall-slack',
        '  TEST_SMTP_PASSWORD: the SMTP password of receiver partner-email',
        'set them, or add --dry-run to print the messages instead of sending them',
        '',
      ].join('\n'));
      const dry = await backtest(['--rules', pack, '--data', data, '--notify', policy, '--dry-run']);
      expect(dry.code).toBe(0);
      expect(dry.stdout).toMatch(/^dry-run slack post C0ONCALL: .+/m);
      expect(dry.stdout).toMatch(/^dry-run e-mail to .*@.*: .+/m);
      expect(dry.stderr).not.toMatch(/ECONNREFUSED|failed/);
    } finally {
      process.env = saved;
    }
  }, 90_000);

  it('an unknown option exits 2 with a did-you-mean; a missing or misplaced one exits 1', async () => {
    const { code, stderr } = await backtest(['--rule', pack, '--data', data]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^sentinel backtest: unknown option --rule: did you mean --rules\?\nusage: sentinel backtest/);
    expect((await backtest(['--rules', pack])).code).toBe(1);
    expect((await backtest(['--rules', pack, '--data', data, '--dry-run'])).stderr).toMatch(/--dry-run goes with --notify FILE/);
  });
});
