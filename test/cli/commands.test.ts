// The dispatcher and the small commands: --version, did-you-mean on commands and options, the exit-code
// convention (0 ok, 1 problems, 2 command line not understood), compile --out onto a file, import.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { loadRules } from '../../src/rules/index.js';
import { ensureBuilt } from '../service/support/cli.ts';
import { runCaptured, type CliOutput } from '../support/cli-output.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sentinel-commands-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const sentinel = (argv: string[]): Promise<CliOutput> => runCaptured(main, argv);

describe('sentinel', () => {
  it('--version prints the package version', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await sentinel(['--version'])).toEqual({ code: 0, stdout: `integration-sentinel ${pkg.version}\n`, stderr: '' });
  });

  it('suggests the command meant, and exits 2', async () => {
    expect(await sentinel(['chek'])).toEqual({ code: 2, stdout: '', stderr: 'sentinel: unknown command "chek": did you mean `sentinel check`? Run `sentinel --help` for the list.\n' });
    expect((await sentinel(['frobnicate'])).stderr).toBe('sentinel: unknown command "frobnicate". Run `sentinel --help` for the list.\n');
    expect((await sentinel([])).code).toBe(2);
  });

  it('suggests the option meant in every command, and exits 2', async () => {
    for (const [command, wrong, right] of [['check', '--rule', '--rules'], ['compile', '--targt', '--target'], ['demo', '--scenaro', '--scenario'], ['backtest', '--jsn', '--json'], ['run', '--chek', '--check']]) {
      const { code, stderr } = await sentinel([command!, wrong!, 'x']);
      expect(code, command).toBe(2);
      expect(stderr).toContain(`sentinel ${command}: unknown option ${wrong}: did you mean ${right}?\n`);
    }
  });

  it('compile --out onto a file is one line, before compiling', async () => {
    const file = join(dir, 'out.txt');
    await writeFile(file, 'x');
    const { code, stderr } = await sentinel(['compile', '--target', 'prometheus', '--rules', join(ROOT, 'rules'), '--out', file]);
    expect(code).toBe(1);
    expect(stderr).toBe(`sentinel compile: --out ${file} is a file: --out takes a folder (the output is several files), e.g. --out ${dir}/compiled/\n`);
  });

  it('the bin answers to both names, integration-sentinel being ours alone on npm', async () => {
    ensureBuilt();
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin).toEqual({ sentinel: 'bin/sentinel.js', 'integration-sentinel': 'bin/sentinel.js' });
    const out = spawnSync(process.execPath, [join(ROOT, pkg.bin['integration-sentinel']!), '--version'], { encoding: 'utf8' });
    expect(out.stdout).toMatch(/^integration-sentinel \d+\.\d+\.\d+\n$/);
  });
});

describe('sentinel import prometheus', () => {
  const PROMETHEUS = `groups:
  - name: partners
    rules:
      - record: partner:errors:rate5m
        expr: sum by (partner) (rate(integration_requests_total{outcome!="success"}[5m]))
      - alert: PartnerAuthFailures
        expr: sum by (partner) (rate(integration_requests_total{outcome="auth_error"}[5m])) > 0.1
        for: 2m
        labels: { severity: critical, team: integrations }
        annotations:
          summary: "{{ $labels.partner }} answers 401 to {{ $value }} calls a second"
          runbook_url: https://runbooks.example/partner-auth
      - alert: QueueStuck
        expr: sum(integration_queue_pending_events) >= 500
      - alert: ErrorRatio
        expr: rate(a_total[5m]) / rate(b_total[5m]) > 0.2
      - alert: PerSeries
        expr: up < 1
`;

  it('writes equivalent threshold rules that check accepts, and lists what it could not carry over', async () => {
    const source = join(dir, 'prometheus.yaml');
    await writeFile(source, PROMETHEUS);
    const out = join(dir, 'imported.yaml');
    const { code, stderr } = await sentinel(['import', 'prometheus', source, '--out', out]);
    expect(code).toBe(0);
    expect(stderr).toBe([
      'not imported: partner:errors:rate5m: a recording rule; sentinel reads the series it records from, so keep it in Prometheus',
      'not imported: ErrorRatio: "rate(a_total[5m]) / rate(b_total[5m]) > 0.2": only thresholds on a selector, rate(selector[w]) or sum by (...) of either convert',
      'not imported: PerSeries: "up < 1": Prometheus compares each series alone; a threshold rule compares the sum per its by: labels. Write it as sum by (<the labels that name one alert>) (...) to import it',
      `2 rules imported to ${out}, 3 not imported`,
      '',
    ].join('\n'));
    const loaded = await loadRules(out);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
    expect(loaded.rules.map((r) => ({ name: r.name, kind: r.kind, metric: r.metric, by: r.by, forMs: r.forMs, severity: r.severity, labels: r.labels, runbook: r.runbook }))).toEqual([
      { name: 'PartnerAuthFailures', kind: 'threshold', metric: 'integration_requests_total', by: ['partner'], forMs: 120_000, severity: 'critical', labels: { team: 'integrations' }, runbook: 'https://runbooks.example/partner-auth' },
      { name: 'QueueStuck', kind: 'threshold', metric: 'integration_queue_pending_events', by: [], forMs: 0, severity: 'warning', labels: {}, runbook: undefined },
    ]);
    const [auth, queue] = loaded.rules as unknown as Array<{ rateWindowMs?: number; op: string; value: number }>;
    expect([auth!.rateWindowMs, auth!.op, auth!.value]).toEqual([300_000, '>', 0.1]);
    expect([queue!.rateWindowMs, queue!.op, queue!.value]).toEqual([undefined, '>=', 500]);
  });

  it('check on the Prometheus file itself names it and the import', async () => {
    const source = join(dir, 'prometheus-check.yaml');
    await writeFile(source, PROMETHEUS);
    const { code, stderr } = await sentinel(['check', '--rules', source]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${source}:1:1: this is a Prometheus rule file (groups: of alert/expr), not a sentinel rule file`);
    expect(stderr).toContain(`sentinel import prometheus ${source}`);
  });
});
