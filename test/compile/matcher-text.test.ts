// One spelling of a label matcher: the rule selectors, the compiled PromQL and the Alertmanager
// matchers all write `label op "value"` through model/matcherText, and the text parses back.
import { describe, expect, it } from 'vitest';
import { formatSelector, parseSelector } from 'integration-sentinel';
import { matchersText } from '../../src/compile/alertmanager/matchers.ts';
import { selectorText } from '../../src/compile/promql.ts';
import { matcherText, type LabelMatcher } from '../../src/model/index.ts';

const awkward: LabelMatcher[] = [
  { label: 'partner', op: '=', value: 'acme "ehr"' },
  { label: 'path', op: '!=', value: 'C:\\exports\\' },
  { label: 'zone', op: '=~', value: 'eu-(west|north)-\\d' },
  { label: 'note', op: '!~', value: 'line one\nline two' },
];

describe('matcher text', () => {
  it('escapes backslash, quote and newline, and parses back to the same matchers', () => {
    expect(awkward.map(matcherText)).toEqual([
      'partner="acme \\"ehr\\""',
      'path!="C:\\\\exports\\\\"',
      'zone=~"eu-(west|north)-\\\\d"',
      'note!~"line one\\nline two"',
    ]);
    expect(parseSelector(`m{${awkward.map(matcherText).join(',')}}`).matchers).toEqual(awkward);
  });

  it('is the same text in a rule selector, the compiled PromQL and an Alertmanager route', () => {
    const one = awkward.map(matcherText);
    expect(formatSelector({ metric: 'integration_requests_total', matchers: awkward })).toBe(`integration_requests_total{${one.join(',')}}`);
    expect(selectorText('integration_requests_total', awkward)).toBe(`integration_requests_total{${one.join(',')}}`);
    expect(matchersText(awkward)).toEqual(one);
  });
});
