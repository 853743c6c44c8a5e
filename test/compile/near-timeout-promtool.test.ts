// The compiled db_operation_timeouts follows the detector's near_timeout, on the real promtool: one
// timeout in 30 calls (3 %, under min_ratio) pages when the calls that did not time out take 24 s of
// the 30 s timeout, and does not when they take 50 ms.
import { describe, expect, it } from 'vitest';
import { counterValues as counter, useCompiledPack } from './support/compiled-pack.ts';
import { promtool, warnIfMissing, type ToolResult } from './support/tools.ts';

warnIfMissing('promtool', promtool);
const pack = useCompiledPack('near-timeout');

const NAME = 'db_client_operation_duration_seconds';
const OP = 'db_operation_name="associate_submitter",db_system_name="postgresql"';
const FIRING = 'ALERTS{alertname="db_operation_timeouts",alertstate="firing"}';
const PAGE = 'ALERTS{alertname="db_operation_timeouts",alertstate="firing",db_operation_name="associate_submitter",rule="db_operation_timeouts",severity="critical"}';

/** A day and a half hour at 2 calls a minute, then one timeout. */
async function replay(name: string, okSeconds: number): Promise<ToolResult> {
  const at = 24 * 60 + 30;
  const end = at + 10;
  const test = {
    rule_files: ['rules/db_operation_timeouts.yml'],
    evaluation_interval: '1m',
    tests: [{
      interval: '1m',
      input_series: [
        { series: `${NAME}_count{${OP}}`, values: counter(end, () => 2) },
        { series: `${NAME}_sum{${OP}}`, values: counter(end, () => 2 * okSeconds) },
        { series: `${NAME}_count{${OP},error_type="timeout"}`, values: counter(end, (m) => (m === at ? 1 : 0)) },
        { series: `${NAME}_sum{${OP},error_type="timeout"}`, values: counter(end, (m) => (m === at ? 30 : 0)) },
      ],
      promql_expr_test: [{ expr: FIRING, eval_time: `${at + 3}m`, exp_samples: okSeconds > 1 ? [{ labels: PAGE, value: 1 }] : [] }],
    }],
  };
  return pack.promtoolTest(name, test);
}

describe('the compiled timeouts rule near its timeout', () => {
  it.skipIf(!promtool)('pages on one timeout in 30 calls when the other calls take 24 s of 30', async () => {
    const run = await replay('slow', 24);
    expect(run.output).toContain('SUCCESS');
    expect(run.code, run.output).toBe(0);
  }, 120_000);

  it.skipIf(!promtool)('stays quiet on the same timeout of a query that runs in 50 ms', async () => {
    const run = await replay('fast', 0.05);
    expect(run.output).toContain('SUCCESS');
    expect(run.code, run.output).toBe(0);
  }, 120_000);
});
