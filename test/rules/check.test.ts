import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/check.ts';
import { runCaptured, type CliOutput } from '../support/cli-output.ts';

const broken = new URL('../fixtures/broken-rules/', import.meta.url).pathname;
const pack = new URL('../../rules/', import.meta.url).pathname;

/** Runs `sentinel check` and returns its exit code and what it wrote. */
function check(path: string): Promise<CliOutput> {
  return runCaptured(run, ['--rules', path]);
}

afterEach(() => vi.restoreAllMocks());

describe('sentinel check', () => {
  it('passes the default pack with a one-line summary', async () => {
    const { code, stdout, stderr } = await check(pack);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ok: \d+ rules in 4 files \(.*error_code_shift.*\)\n$/);
  });

  it('reports every broken file in one run, each with file:line:col and the fix, and exits 1', async () => {
    const { code, stdout, stderr } = await check(broken);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n');
    expect(lines).toEqual(EXPECTED.map((l) => broken + l).concat([`${EXPECTED.length} problems in ${broken}`]));
  });

  it('names a single broken file and says how to fix an unknown kind', async () => {
    const { code, stderr } = await check(broken + 'unknown-kind.yaml');
    expect(code).toBe(1);
    expect(stderr).toContain(`${broken}unknown-kind.yaml:3:11: unknown kind "error-rate": did you mean "error_rate"?`);
  });

  it('says so when the path does not exist', async () => {
    const { code, stderr } = await check('/nonexistent/rules');
    expect(code).toBe(1);
    expect(stderr).toContain('/nonexistent/rules:1:1: cannot read rules from /nonexistent/rules: no such file or directory');
  });
});

const EXPECTED = [
  'bad-duration.yaml:5:10: bad duration "5 minutes": write a number and a unit (ms, s, m, h, d, w), e.g. 30s, 5m or 1h30m',
  'bad-matcher.yaml:4:13: bad matcher "state=unhealthy": the value must be quoted: write state="unhealthy"',
  'bad-matcher.yaml:5:15: severity: "crit" is not allowed: did you mean "critical"?',
  'bad-yaml.yaml:5:1: YAML syntax: Sequence item without - indicator: check the indentation and that every "key: value" has its colon and space',
  'bad-yaml.yaml:5:14: YAML syntax: Nested mappings are not allowed in compact mappings: a key is probably missing its colon, or the line above is mis-indented',
  'bad-yaml.yaml:5:14: YAML syntax: Implicit keys need to be on a single line',
  'summary-label.yaml:7:14: summary uses $labels.partnr, which alerts of "partner_success_drop" do not carry (they carry partner, operation): did you mean "$labels.partner"?',
  'unknown-field.yaml:5:5: unknown field "windw": did you mean "window"?',
  'unknown-kind.yaml:3:11: unknown kind "error-rate": did you mean "error_rate"?',
  'wrong-type.yaml:5:16: min_count must be a number, not string "lots": write min_count as a number',
];
