// `sentinel backtest --report` end to end on a small CSV recording: a pending-only alert gets its row
// and its chart, values are said in the rule's unit, and a report says which rules matched no series,
// and that this is why it is empty when none did.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/backtest.ts';
import { runCaptured } from '../support/cli-output.ts';

let dir: string;
let csv: string;

const rule = (name: string, select: string) => `  - name: ${name}
    kind: threshold
    select: ${select}
    op: '<'
    value: 10
    for: 10m
    severity: warning
    summary: 'depth {{ $value }}'
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sentinel-report-backtest-'));
  csv = join(dir, 'depth.csv');
  // Three hours a minute apart: a 5-minute dip (shorter than `for`: pending only) at 01:00, a
  // 30-minute dip (fires) at 02:00.
  const start = Date.UTC(2026, 2, 2, 0, 0) / 1000;
  const rows = ['timestamp,value'];
  for (let m = 0; m < 180; m++) rows.push(`${start + m * 60},${(m >= 60 && m < 65) || (m >= 120 && m < 150) ? 4 : 20}`);
  writeFileSync(csv, rows.join('\n') + '\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function report(rules: string[]): Promise<string> {
  const file = join(dir, `rules-${rules.length}-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, `rules:\n${rules.join('')}`);
  const out = `${file}.html`;
  expect((await runCaptured(run, ['--rules', file, '--data', csv, '--metric', 'orders_queue_depth', '--report', out])).code).toBe(0);
  return readFileSync(out, 'utf8');
}

function charts(html: string): Array<{ title: string; spans: Array<{ pendingOnly?: true; firing: number | null }> }> {
  return JSON.parse(/<script id="report-data" type="application\/json">([\s\S]*?)<\/script>/.exec(html)![1]!);
}

describe('sentinel backtest --report', () => {
  it('charts a pending-only alert as well as the fired one, and marks it as never fired', async () => {
    const html = await report([rule('depth_too_low', 'orders_queue_depth')]);
    const drawn = charts(html);
    expect(drawn).toHaveLength(2);
    expect(drawn.map((c) => c.spans[0]!.pendingOnly ?? false)).toEqual([true, false]);
    expect(html).toContain('<td class="never-fired">never fired</td>');
    expect(html).toContain('<b>alerts</b> 1 fired, 1 pending only');
    expect(html).not.toContain('matched no series');
  });

  it('names the rules that matched no series', async () => {
    const html = await report([rule('depth_too_low', 'orders_queue_depth'), rule('depth_typo', 'orders_queue_dept')]);
    expect(html).toContain('1 of 2 rules matched no series in this data, so they could not alert: <code>depth_typo</code>');
  });

  it('says "no rule matched any series" when that is why the report is empty', async () => {
    const html = await report([rule('depth_typo', 'orders_queue_dept'), rule('depth_other', 'orders_queue_depth{queue="x"}')]);
    expect(charts(html)).toEqual([]);
    expect(html).toContain('no rule matched any series');
    expect(html).not.toContain('stayed quiet');
  });
});
