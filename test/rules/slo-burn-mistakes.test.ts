// Mistakes in an slo_burn rule, each answered at its line with what is wrong and what to write.
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/rules/index.js';
import { ruleFiles } from './support/rule-files.js';

const { write, problems } = ruleFiles('slo-mistakes-');

const RULE = (extra: string[]): string[] => [
  'rules:',
  '  - name: partner_slo',
  '    kind: slo_burn',
  '    select: integration_requests_total',
  "    summary: '{{ $labels.partner }} burns at {{ $value }}x ({{ $labels.slo_alert }})'",
  ...extra,
];

describe('slo_burn rule mistakes', () => {
  it('reads 99.5%, "99.5%" and 99.5 as the same objective, with the workbook windows for 30d', async () => {
    for (const written of ['99.5%', '"99.5%"', '99.5']) {
      const file = await write(RULE([`    objective: ${written}`]));
      const result = await loadRules(file);
      expect(result.ok, JSON.stringify(result)).toBe(true);
      const rule = result.ok ? result.rules[0]! : undefined;
      expect(rule?.kind === 'slo_burn' && rule.objective).toBe(0.995);
      expect(rule?.kind === 'slo_burn' && rule.windows.map((w) => [w.alert, w.longMs / 60_000, w.shortMs / 60_000, w.burn])).toEqual([
        ['page', 60, 5, 14.4], ['page', 360, 30, 6], ['ticket', 4320, 360, 1],
      ]);
      expect(rule?.severity).toBe('critical');
    }
  });

  it('scales the workbook burns to the period: 28d pages at 13.44x over the hour', async () => {
    const file = await write(RULE(['    objective: 99.9%', '    period: 28d']), 'p28.yaml');
    const result = await loadRules(file);
    expect(result.ok && result.rules[0]!.kind === 'slo_burn' && result.rules[0]!.windows.map((w) => w.burn)).toEqual([13.44, 5.6, 0.9333]);
  });

  it('names a ratio written as an objective, an objective of 100%, and a missing objective', async () => {
    expect(await problems(RULE(['    objective: 0.995']))).toEqual([
      '6:16: objective 0.995 is not a percentage from 50% up to (not including) 100% (0.995 reads as 0.995%; for a ratio of 0.995 write 99.5%): write the share of calls that must succeed, e.g. objective: 99.5%',
    ]);
    expect(await problems(RULE(['    objective: 100%']))).toEqual([
      '6:16: objective 100% leaves no error budget: every failed call would burn it: write the share of calls that must succeed, e.g. objective: 99.5%',
    ]);
    expect(await problems(RULE([]))).toEqual(['2:5: objective: missing: every slo_burn rule states its objective, e.g. objective: 99.5%']);
  });

  it('names a pair whose short window is not shorter, one longer than the period, and a burn that can never be reached', async () => {
    expect(await problems(RULE([
      '    objective: 99%',
      '    period: 7d',
      '    windows:',
      '      - { alert: page, long: 1h, short: 1h, burn: 14.4 }',
      '      - { alert: ticket, long: 14d, short: 6h, burn: 1 }',
      '      - { alert: page, long: 1h, short: 5m, burn: 120 }',
    ]))).toEqual([
      '9:41: windows[0]: short window 1h is not shorter than its long window 1h: the short window confirms the burn is still going on: about a twelfth of the long one (1h and 5m)',
      '10:32: windows[1]: long window 14d is longer than the period 7d: use at most 7d (the workbook\'s longest is 3d)',
      '11:51: windows[2]: burn 120 can never be reached: with objective 99% it means 120% of calls failing: use a burn below 100 (all calls failing)',
    ]);
  });
});
