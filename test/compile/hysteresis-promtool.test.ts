// The compiled partner_error_code_shift follows the detector's hysteresis, on the real promtool: it
// enters at min_share (0.3), then holds while the share stays above the exit level (half way from the
// baseline to min_share, ~0.15) through its own ALERTS series, so a share that falls to 23 % and stays
// there is one page, not a resolve; it resolves once the code is gone (then keep_firing_for).
import { describe, expect, it } from 'vitest';
import { counterValues as counter, useCompiledPack } from './support/compiled-pack.ts';
import { promtool, warnIfMissing } from './support/tools.ts';

warnIfMissing('promtool', promtool);
const pack = useCompiledPack('hysteresis');

const FIRING = 'ALERTS{alertname="partner_error_code_shift",alertstate="firing"}';
const PAGE = 'ALERTS{alertname="partner_error_code_shift",alertstate="firing",error_code="invalid_grant",partner="acme",rule="partner_error_code_shift",severity="critical"}';

describe('the compiled error_code_shift with hysteresis', () => {
  it.skipIf(!promtool)('stays firing while a new code falls from 60 % to 23 % of calls, and resolves once it is gone', async () => {
    // Two quiet hours at 100 successes a minute; then invalid_grant on 60 % of calls for 30 minutes,
    // on 23 % for 40 minutes (below min_share, above the exit level), then none.
    const end = 230;
    const code = (m: number): number => (m > 120 && m <= 150 ? 150 : m > 150 && m <= 190 ? 30 : 0);
    const test = {
      rule_files: ['rules/partner_error_code_shift.yml'],
      evaluation_interval: '1m',
      tests: [{
        interval: '1m',
        input_series: [
          { series: 'integration_requests_total{partner="acme",operation="sync",outcome="success"}', values: counter(end, () => 100) },
          { series: 'integration_requests_total{partner="acme",operation="sync",outcome="auth_error",error_code="invalid_grant"}', values: counter(end, code) },
        ],
        promql_expr_test: [
          { expr: FIRING, eval_time: '140m', exp_samples: [{ labels: PAGE, value: 1 }] },
          // 25 minutes into the 23 % phase: the entry condition has not held for 20 minutes.
          { expr: FIRING, eval_time: '185m', exp_samples: [{ labels: PAGE, value: 1 }] },
          { expr: FIRING, eval_time: '225m', exp_samples: [] },
        ],
      }],
    };
    const run = await pack.promtoolTest('hysteresis', test);
    expect(run.code, run.output).toBe(0);
  }, 120_000);
});
