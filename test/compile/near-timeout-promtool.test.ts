// The compiled db_operation_timeouts follows the detector's near_timeout, on the real promtool: one
// timeout in 30 calls (3 %, under min_ratio) pages when the calls that did not time out take 24 s of
// the 30 s timeout, and does not when they take 50 ms.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, writeOutputs } from 'integration-sentinel';
import { promtool, runTool, warnIfMissing } from './support/tools.ts';

warnIfMissing('promtool', promtool);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sentinel-near-timeout-'));
  const outcome = await compile('prometheus', { rules: 'rules' });
  if (!outcome.ok) throw new Error(outcome.errors.join('\n'));
  await writeOutputs(dir, outcome.result.files);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A counter's values, one a minute from 0 to `minutes`: `perMinute(m)` added in minute m. */
function counter(minutes: number, perMinute: (m: number) => number): string {
  const values: number[] = [];
  let v = 0;
  for (let m = 0; m <= minutes; m++) values.push(Number((v += perMinute(m)).toFixed(3)));
  return values.join(' ');
}

const NAME = 'db_client_operation_duration_seconds';
const OP = 'db_operation_name="associate_submitter",db_system_name="postgresql"';
const FIRING = 'ALERTS{alertname="db_operation_timeouts",alertstate="firing"}';
const PAGE = 'ALERTS{alertname="db_operation_timeouts",alertstate="firing",db_operation_name="associate_submitter",rule="db_operation_timeouts",severity="critical"}';

/** A day and a half hour at 2 calls a minute, then one timeout. */
async function replay(name: string, okSeconds: number): Promise<{ code: number; output: string }> {
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
  await writeFile(join(dir, `${name}.test.yml`), JSON.stringify(test));
  return runTool(promtool!, ['test', 'rules', `${name}.test.yml`], dir);
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
