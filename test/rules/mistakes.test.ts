// Mistakes new users made in rule files, each answered with what is wrong and what to write.
import { describe, expect, it } from 'vitest';
import { ruleFiles } from './support/rule-files.js';

const { problems } = ruleFiles('rule-mistakes-');

const RULE = (name: string, extra: string[] = []): string[] => [
  `  - name: ${name}`,
  '    kind: error_rate',
  '    select: integration_requests_total',
  '    severity: critical',
  ...extra,
];

describe('rule file mistakes', () => {
  it('an unquoted {{ template }} is named as such, not "Unexpected scalar at node end"', async () => {
    expect(await problems(['rules:', ...RULE('a', ['    summary: {{ $labels.partner }} is failing'])])).toEqual([
      '6:14: summary: a value starting with {{ must be quoted, or YAML reads it as a mapping: write summary: "{{ $labels.partner }} is failing"',
    ]);
    // Alone on the line it even parses, as a mapping: same answer, not "must be a string".
    expect(await problems(['rules:', ...RULE('a', ['    summary: {{ $labels.partner }}'])])).toEqual([
      '6:14: summary: a value starting with {{ must be quoted, or YAML reads it as a mapping: write summary: "{{ $labels.partner }}"',
    ]);
  });

  it('unknown template functions and Go-template fields are errors with the fix', async () => {
    expect(await problems(['rules:', ...RULE('a', ['    summary: "{{ $labels.partner }}: {{ $value | humanise }} errors"'])])).toEqual([
      '6:14: unknown template function "humanise": did you mean "humanize"?',
    ]);
    expect(await problems(['rules:', ...RULE('a', ['    summary: "{{ .Labels.partner }} at {{ .Value | humanizePercentage }}"'])])).toEqual([
      '6:14: {{ .Labels.partner }} is Go-template field syntax, which summaries do not read: write {{ $labels.partner }}',
      '6:14: {{ .Value | humanizePercentage }} is Go-template field syntax, which summaries do not read: write {{ $value | humanizePercentage }}',
    ]);
    expect(await problems(['rules:', ...RULE('a', ['    summary: "{{ $value | toUpper }} and {{ $labels.partner"'])])).toEqual([
      '6:14: summary has 2 "{{" but 1 "}}": close every {{ with }}',
      '6:14: template function "toUpper" is Prometheus\' but summaries do not render it: use humanize, humanizePercentage, humanizeDuration',
    ]);
  });

  it('a bare number as a duration says it needs a unit', async () => {
    expect(await problems(['rules:', ...RULE('a', ['    summary: x', '    window: 5'])])).toEqual(['7:13: a duration needs a unit: write 5m (or 5s, 5h)']);
  });

  it('a Prometheus rule file is recognised and the import named', async () => {
    const found = await problems(['groups:', '  - name: g', '    rules:', '      - alert: A', '        expr: up == 0']);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^1:1: this is a Prometheus rule file \(groups: of alert\/expr\), not a sentinel rule file: sentinel rules are a list under rules: .* or convert its alerts: sentinel import prometheus .*\.yaml > rules\/imported\.yaml$/);
  });

  it('schema errors and cross-rule errors of one file come in one run', async () => {
    expect(await problems([
      'rules:',
      ...RULE('a', ['    summary: x', '    windw: 5m']),
      ...RULE('b', ['    summary: "{{ $labels.partnr }}"']),
      ...RULE('b', ['    summary: y']),
    ])).toEqual([
      '7:5: unknown field "windw": did you mean "window"?',
      '12:14: summary uses $labels.partnr, which alerts of "b" do not carry (they carry partner): did you mean "$labels.partner"?',
      expect.stringMatching(/^13:5: duplicate rule name "b" \(also at .*\.yaml:8\): give every rule its own name$/),
    ]);
  });
});
