// The compiled partner_success_drop on a weekend it has never seen, on the real promtool: as in the
// detector, an hour with no history of its own kind is warm-up (only a full stop pages, where twice
// min_expected successes were expected), and a weekend hour never borrows a weekday's level (the
// Friday before would call a 95% fall on Saturday morning a drop).
import { describe, expect, it } from 'vitest';
import { useCompiledPack } from './support/compiled-pack.ts';
import { promtool, warnIfMissing } from './support/tools.ts';

warnIfMissing('promtool', promtool);
const pack = useCompiledPack('success-drop');

/** A counter's values, one a minute from `from` (nothing before it): `perMinute(m)` successes in minute m. */
function counter(from: number, minutes: number, perMinute: (m: number) => number): string {
  const values: number[] = [];
  let v = 0;
  for (let m = from; m <= minutes; m++) values.push((v += perMinute(m)));
  return `_x${from} ${values.join(' ')}`;
}

describe('the compiled success_drop on a first weekend', () => {
  it.skipIf(!promtool)('pages a full stop on Saturday morning but not a 95% fall, with only weekdays behind it', async () => {
    // promtool's clock starts at 1970-01-01 00:00 UTC, a Thursday: from Friday on at 30 a minute, then
    // on Saturday at 10:00 one operation stops and another falls to 1.5 a minute.
    const stop = 2 * 1440 + 600;
    const end = stop + 40;
    const series = (operation: string, during: number) => ({
      series: `integration_requests_total{partner="acme",operation="${operation}",outcome="success"}`,
      values: counter(1440, end, (m) => (m < stop ? 30 : during)),
    });
    const test = {
      rule_files: ['rules/partner_success_drop.yml'],
      evaluation_interval: '2m',
      tests: [{
        interval: '1m',
        input_series: [series('stop', 0), series('fall', 1.5)],
        promql_expr_test: [{
          expr: 'ALERTS{alertname="partner_success_drop",alertstate="firing"}',
          eval_time: `${end}m`,
          exp_samples: [{
            labels: 'ALERTS{alertname="partner_success_drop",alertstate="firing",operation="stop",partner="acme",rule="partner_success_drop",severity="critical"}',
            value: 1,
          }],
        }],
      }],
    };
    const run = await pack.promtoolTest('weekend', test);
    expect(run.code, run.output).toBe(0);
    // promtool evaluates two days of 1-minute steps: seconds alone, longer beside the rest of the suite.
  }, 120_000);
});
