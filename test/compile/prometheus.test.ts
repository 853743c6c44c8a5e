// The Prometheus target, proven with the real promtool: every compiled file passes `promtool check
// rules`, and every rule's generated unit test passes `promtool test rules` (fires on its synthetic
// incident, quiet on normal traffic, resolves after).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compile, loadRules, writeOutputs, type CompileResult, type Rule } from 'integration-sentinel';
import { promtool, runTool, warnIfMissing } from './support/tools.ts';

warnIfMissing('promtool', promtool);

let dir: string;
let result: CompileResult;
let pack: readonly Rule[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sentinel-compile-prom-'));
  const outcome = await compile('prometheus', { rules: 'rules' });
  if (!outcome.ok) throw new Error(outcome.errors.join('\n'));
  result = outcome.result;
  await writeOutputs(dir, result.files);
  const loaded = await loadRules('rules');
  if (!loaded.ok) throw new Error('pack does not load');
  pack = loaded.rules;
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface GroupFile {
  groups: Array<{ name: string; rules: Array<{ record?: string; alert?: string; expr: string; for?: string; keep_firing_for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }> }>;
}
const rulesFileOf = (name: string) => parse(result.files.get(`rules/${name}.yml`)!) as GroupFile;

describe('sentinel compile --target prometheus', () => {
  it('emits one rules file and one unit test for every rule of the pack', () => {
    for (const rule of pack) {
      expect(result.files.has(`rules/${rule.name}.yml`), rule.name).toBe(true);
      expect(result.files.has(`tests/${rule.name}.test.yml`), rule.name).toBe(true);
    }
  });

  it('carries for, keep_firing_for, severity, summary and runbook over to every alert', () => {
    for (const rule of pack) {
      const alert = rulesFileOf(rule.name).groups[0]!.rules.at(-1)!;
      expect(alert.alert).toBe(rule.name);
      if (rule.forMs > 0) expect(alert.for).toBe(formatMinutes(rule.forMs));
      else expect(alert.for).toBeUndefined();
      if (rule.keepFiringForMs > 0) expect(alert.keep_firing_for).toBe(formatMinutes(rule.keepFiringForMs));
      expect(alert.labels).toMatchObject({ severity: rule.severity, rule: rule.name });
      expect(alert.annotations?.summary).toBe(rule.summary);
      expect(alert.annotations?.runbook_url).toBe(rule.runbook);
    }
  });

  it('learns baselines in PromQL: trailing offsets, quantile_over_time bands and hour-of-week offsets', () => {
    const all = [...result.files].filter(([f]) => f.startsWith('rules/')).map(([, text]) => text).join('\n');
    // The pack's code-shift rule leaves 5xx to success_drop and error_rate (issue 11): its selector says so.
    expect(all).toMatch(/increase\(integration_requests_total\{outcome!="server_error",outcome!="success",error_code!=""\}\[1d\] offset 10m\)/);
    expect(all).toMatch(/quantile_over_time\(0\.5, sentinel:partner_latency:mean_seconds\[1d\] offset 5m\)/);
    expect(all).toMatch(/offset 1w\)/);
    expect(all).toMatch(/offset 4w\)/);
  });

  it.skipIf(!promtool)('passes promtool check rules on every file', async () => {
    const files = [...result.files.keys()].filter((f) => f.startsWith('rules/'));
    const check = await runTool(promtool!, ['check', 'rules', ...files], dir);
    expect(check.code, check.output).toBe(0);
    expect(check.output.match(/SUCCESS/g)).toHaveLength(files.length);
  });

  it.skipIf(!promtool)('passes every generated promtool unit test: fires on the incident, quiet on normal traffic, resolves', async () => {
    const tests = [...result.files.keys()].filter((f) => f.startsWith('tests/'));
    // Two promtool processes at a time (the machine has two cores), each replaying its rule's hours.
    const halves = [tests.filter((_, i) => i % 2 === 0), tests.filter((_, i) => i % 2 === 1)];
    const runs = await Promise.all(halves.map((half) => runTool(promtool!, ['test', 'rules', ...half], dir)));
    for (const run of runs) expect(run.code, run.output).toBe(0);
    expect(runs.map((r) => r.output).join('').match(/SUCCESS/g)).toHaveLength(tests.length);
  }, 120_000);

  it.skipIf(!promtool)('fails its unit test when a rule is changed so that it no longer fires (the tests can fail)', async () => {
    // Same test file, rules file from a rule that needs a million unhealthy flows per zone.
    const source = (await readFile('rules/routing.yaml', 'utf8')).replace(/min_unhealthy: \d+/, 'min_unhealthy: 1000000');
    expect(source).toContain('min_unhealthy: 1000000');
    const pack = join(dir, 'pack');
    await rm(pack, { recursive: true, force: true });
    await writeOutputs(pack, new Map([['routing.yaml', source]]));
    const strict = await compile('prometheus', { rules: pack });
    if (!strict.ok) throw new Error(strict.errors.join('\n'));
    const name = 'routing_flows_unhealthy_zones';
    await writeFile(join(dir, 'rules', `${name}.yml`), strict.result.files.get(`rules/${name}.yml`)!);
    const run = await runTool(promtool!, ['test', 'rules', `tests/${name}.test.yml`], dir);
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/FAILED/);
    await writeFile(join(dir, 'rules', `${name}.yml`), result.files.get(`rules/${name}.yml`)!);
  }, 20_000);

  it('names every rule it cannot carry over exactly, and why, in NOTES.md', () => {
    const notes = result.files.get('NOTES.md')!;
    for (const rule of pack) expect(notes, rule.name).toContain(`| ${rule.name} |`);
    const latency = result.notes.find((n) => n.subject === 'partner_latency')!;
    expect(latency.fidelity).toBe('approximate');
    expect(latency.reason).toMatch(/inter-quartile/);
    expect(result.notes.find((n) => n.subject === 'routing_flows_unhealthy_zones')!.fidelity).toBe('exact');
  });

  it('scales every duration with --time-scale, keeping windows at least 5 s for a 1 s scrape', async () => {
    const scaled = await compile('prometheus', { rules: 'rules', timeScale: 1 / 240 });
    if (!scaled.ok) throw new Error(scaled.errors.join('\n'));
    const group = parse(scaled.result.files.get('rules/partner_error_code_shift.yml')!) as GroupFile;
    const alert = group.groups[0]!.rules.at(-1)!;
    const rule = pack.find((r) => r.name === 'partner_error_code_shift')!;
    expect(alert.keep_firing_for).toBe(rule.keepFiringForMs >= 240_000 ? `${Math.round(rule.keepFiringForMs / 240_000)}s` : '1s');
    expect(alert.expr).toContain('offset 15s'); // warm-up 1h -> 15 s
    expect(group.groups[0]!.rules[0]!.expr).toContain('[5s]'); // window 10m -> 2.5 s, floored at 5 s
    expect([...scaled.result.files.keys()].some((f) => f.startsWith('tests/'))).toBe(false);
  });
});

function formatMinutes(ms: number): string {
  const m = ms / 60_000;
  return m % 60 === 0 ? `${m / 60}h` : `${m}m`;
}
