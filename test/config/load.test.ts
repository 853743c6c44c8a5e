import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { durationMs, formatDiagnostic, parseDuration, parseSelector, parseYamlText, selector, matchesLabels, formatDuration } from '../../src/config/index.js';

const rule = z.discriminatedUnion('kind', [
  z.strictObject({ name: z.string(), kind: z.literal('error_rate'), select: selector, for: durationMs.optional() }),
  z.strictObject({ name: z.string(), kind: z.literal('threshold'), select: selector, above: z.number() }),
]);
const pack = z.strictObject({ rules: z.array(rule), severity: z.enum(['critical', 'warning']).optional() });

function problems(text: string): string[] {
  const result = parseYamlText('pack.yaml', text, pack);
  if (result.ok) return [];
  return result.diagnostics.map(formatDiagnostic);
}

describe('loading a YAML file against its schema', () => {
  it('returns the typed value when the file is right', () => {
    const result = parseYamlText('pack.yaml', 'rules:\n  - name: a\n    kind: error_rate\n    select: x_total{a="b"}\n    for: 1h30m\n', pack);
    expect(result.ok && result.value.rules[0]).toEqual({ name: 'a', kind: 'error_rate', select: { metric: 'x_total', matchers: [{ label: 'a', op: '=', value: 'b' }] }, for: 5_400_000 });
  });

  it('suggests the kind the user meant, at the line and column of the value', () => {
    expect(problems('rules:\n  - name: a\n    kind: error-rate\n    select: x\n')).toEqual(['pack.yaml:3:11: unknown kind "error-rate": did you mean "error_rate"?']);
  });

  it('reports every error in one run, each at its own line', () => {
    const text = ['rules:', '  - name: a', '    kind: error_rate', '    select: x{a=b}', '    for: 5 minutes', '  - name: b', '    kind: threshold', '    select: y', '    abovee: 3', 'severity: crit', ''].join('\n');
    expect(problems(text)).toEqual([
      'pack.yaml:4:13: bad matcher "a=b": the value must be quoted: write a="b"',
      'pack.yaml:5:10: bad duration "5 minutes": write a number and a unit (ms, s, m, h, d, w), e.g. 30s, 5m or 1h30m',
      'pack.yaml:6:5: missing required field "above": add above: <number>',
      'pack.yaml:9:5: unknown field "abovee": did you mean "above"?',
      'pack.yaml:10:11: severity: "crit" is not allowed: did you mean "critical"?',
    ]);
  });

  it('names wrong types with what to write instead', () => {
    expect(problems('rules:\n  - name: b\n    kind: threshold\n    select: y\n    above: lots\n')).toEqual(['pack.yaml:5:12: above must be a number, not string "lots": write above as a number']);
  });

  it('reports YAML syntax errors with their position', () => {
    const [first] = problems('rules:\n  - name: a\n   kind: x\n');
    expect(first).toMatch(/^pack\.yaml:3:\d+: YAML syntax: /);
  });

  it('reports duplicate keys', () => {
    expect(problems('rules: []\nrules: []\n')[0]).toMatch(/^pack\.yaml:2:1: YAML syntax: .*: remove or rename one of the two entries$/);
  });
});

describe('durations and selectors', () => {
  it('reads Prometheus durations and writes them back', () => {
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('5 m')).toBeUndefined();
    expect(formatDuration(5_400_000)).toBe('1h30m');
  });

  it('parses matchers with escapes and matches PromQL semantics', () => {
    const s = parseSelector('integration_requests_total{outcome!="success", error_code=~"4..", partner="a\\"b"}');
    expect(s.matchers).toEqual([
      { label: 'outcome', op: '!=', value: 'success' },
      { label: 'error_code', op: '=~', value: '4..' },
      { label: 'partner', op: '=', value: 'a"b' },
    ]);
    expect(matchesLabels(s.matchers, { outcome: 'auth_error', error_code: '401', partner: 'a"b' })).toBe(true);
    expect(matchesLabels(s.matchers, { outcome: 'auth_error', error_code: '4011', partner: 'a"b' })).toBe(false);
    expect(() => parseSelector('x{a=~"("}')).toThrow(/bad regular expression for a/);
  });
});
