// Selectors are parsed by Prometheus' own lezer grammar and their regexes run as RE2: whatever
// `sentinel check` accepts, promtool accepts too, and PromQL pasted into `select:` is explained.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { matchesLabels, parseSelector, SelectorError } from '../../src/config/index.js';
import { promtool, runTool, warnIfMissing } from '../compile/support/tools.ts';

function error(text: string): string {
  try {
    parseSelector(text);
  } catch (e) {
    if (e instanceof SelectorError) return `${e.message}: ${e.fix}`;
    throw e;
  }
  return 'accepted';
}

describe('selectors through the PromQL grammar', () => {
  it('reads every quoting PromQL allows', () => {
    expect(parseSelector(`x{a='b', c=\`d\\n\`, e="\\u00e9\\t", f!~"g|h"}`).matchers).toEqual([
      { label: 'a', op: '=', value: 'b' },
      { label: 'c', op: '=', value: 'd\\n' },
      { label: 'e', op: '=', value: 'é\t' },
      { label: 'f', op: '!~', value: 'g|h' },
    ]);
    expect(parseSelector('  up  ')).toEqual({ metric: 'up', matchers: [] });
    expect(parseSelector('x{a="b",}').matchers).toHaveLength(1);
  });

  it('explains PromQL pasted into select: rates are the kind\'s job', () => {
    expect(error('rate(integration_requests_total{partner="a"}[5m])')).toBe(
      'bad selector "rate(integration_requests_total{partner=\\"a\\"}[5m])": select takes a metric selector, not a PromQL expression: rate(…) is not needed, rates are computed by the rule\'s kind (a threshold rule on a counter: set rate_window: 5m): write select: integration_requests_total{partner="a"}',
    );
    expect(error('sum by (partner) (x_total)')).toMatch(/series are summed per the labels in the rule's by: field: write select: x_total and by: \[partner\]$/);
    expect(error('x_total[5m]')).toMatch(/without a range \[\.\.\]; the rule's window field says how far back it looks: write select: x_total and set window$/);
  });

  it('names the mistake in a broken selector', () => {
    expect(error('x{a=b}')).toBe('bad matcher "a=b": the value must be quoted: write a="b"');
    expect(error('x{a=b,c="d"}')).toBe('bad matcher "a=b": the value must be quoted: write a="b"');
    expect(error('x{a="b}')).toBe('bad selector "x{a=\\"b}": a quoted value is not closed: close it with "');
    expect(error('x{a}')).toMatch(/^bad matcher "a": expected =, !=, =~ or !~ after a/);
    expect(error('x{a="b"')).toMatch(/the braces are not closed: end the matchers with }$/);
    expect(error('{a="b"}')).toMatch(/it must start with a metric name/);
    expect(error('')).toMatch(/it must start with a metric name/);
    expect(error('x{a="b" c="d"}')).toMatch(/expected "," between matchers: separate matchers with commas$/);
    expect(error('x y')).toMatch(/^bad selector "x y": unexpected "y" after the selector/);
    expect(error('x{a="\\q"}')).toMatch(/invalid escape "\\q"/);
    expect(error('x{"a"="b"}')).toBe('bad matcher ""a"="b"": a label name is not quoted: write a without quotes');
  });

  it('matches regexes as RE2 does: anchored, dot matching newlines, no lookaround', () => {
    const [m] = parseSelector('x{a=~"4.."}').matchers;
    expect(matchesLabels([m!], { a: '401' })).toBe(true);
    expect(matchesLabels([m!], { a: '4011' })).toBe(false);
    expect(matchesLabels(parseSelector('x{a=~"a.b"}').matchers, { a: 'a\nb' })).toBe(true);
    expect(error('x{a=~"(?=4)4.."}')).toBe('bad regular expression for a: invalid or unsupported Perl syntax: `(?=` in "(?=4)4..": Prometheus uses RE2 syntax (no lookahead, lookbehind or backreferences), anchored at both ends');
    expect(error('x{a=~"(a)\\\\1"}')).toMatch(/^bad regular expression for a: /);
  });
});

describe('check accepts nothing promtool rejects', () => {
  warnIfMissing('promtool', promtool);
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  // Selectors a user might write; for each, our verdict must equal promtool's.
  const CASES = [
    'x{a=~"4.."}', 'x{a=~"(?=4)4.."}', 'x{a=~"(?<!x)y"}', 'x{a=~"(a)\\\\1"}', 'x{a=~"(?i)ok"}', 'x{a=~"\\\\d+"}', 'x{a=~"(?P<n>a)"}',
    'x{a=~"a{2,}"}', 'x{a=~"[[:alpha:]]+"}', 'x{a=~"\\\\pL"}', 'x{a=~"a++"}', 'x{a=~"("}', 'x{a="b"}', 'x{a=b}', "x{a='b'}", 'x{a=`b`}',
    'x{a="\\\\q"}', 'x{"a"="b"}', 'x{a="b",}', 'rate(x[5m])', 'x[5m]', '{a="b"}',
  ];

  it.skipIf(!promtool).each(CASES)('%s', async (selector) => {
    const dir = await mkdtemp(join(tmpdir(), 'selector-'));
    dirs.push(dir);
    const file = join(dir, 'rules.yaml');
    await writeFile(file, `groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: ${JSON.stringify(`${selector} > 0`)}\n`);
    const { code, output } = await runTool(promtool!, ['check', 'rules', file]);
    const promtoolAccepts = code === 0;
    const oursAccepts = error(selector) === 'accepted';
    // We may be stricter (a selector, not an expression), never looser.
    if (oursAccepts) expect(promtoolAccepts, `promtool rejects ${selector} that we accept: ${output}`).toBe(true);
    if (promtoolAccepts && !oursAccepts) expect(error(selector)).toMatch(/select takes|must start with a metric name/);
  });
});
