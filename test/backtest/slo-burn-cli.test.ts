// `sentinel backtest` with the default pack's slo_burn example turned on, on generated recordings:
// the postmortem's partner failing every call pages within minutes (critical, with its burn rates
// in `explain`), and the quiet days around it page nothing.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/backtest.ts';
import { generateRecording } from '../support/recording-generator.ts';
import { uncommentedSloPack } from '../support/slo-pack.ts';
import { runCaptured, type CliOutput } from '../support/cli-output.ts';

let dir: string;
let pack: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sentinel-slo-backtest-'));
  pack = join(dir, 'rules');
  mkdirSync(pack);
  writeFileSync(join(pack, 'slo.yaml'), await uncommentedSloPack());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const backtest = (argv: string[]): Promise<CliOutput> => runCaptured(run, argv);

type Event = { rule: string; state: string; severity: string; labels: Record<string, string>; at: string; value: number; explain?: Record<string, unknown> };
const events = (stdout: string): Event[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Event);

describe('sentinel backtest with the slo_burn example', () => {
  for (const seed of [31, 32, 33]) {
    it(`pages the partner that fails every call within 10 minutes, once, with its burn rates (seed ${seed})`, async () => {
      const data = join(dir, `incident-${seed}.om`);
      const truth = generateRecording({ scenario: 'error_code_shift', seed, days: 2, out: data });
      const report = join(dir, `report-${seed}.html`);
      const { code, stdout, stderr } = await backtest(['--rules', pack, '--data', data, '--json', '--report', report]);
      expect(code, stderr).toBe(0);
      const partner = truth.incident!.entities[0]!.partner;
      const pages = events(stdout).filter((e) => e.state === 'firing' && e.labels.slo_alert === 'page');
      expect(pages.map((e) => e.labels.partner)).toEqual([partner]);
      expect(pages[0]!.severity).toBe('critical');
      expect((Date.parse(pages[0]!.at) - truth.incident!.startMs) / 60_000).toBeLessThanOrEqual(10);
      // At night the 5m window has too few calls to judge: then the 6h and 30m pair pages.
      expect([['1h', 14.4], ['6h', 6]]).toContainEqual([pages[0]!.explain!.window, pages[0]!.explain!.upper]);
      expect(pages[0]!.explain).toMatchObject({ objective: 0.995, errorBudget: expect.closeTo(0.005, 9), burnRates: { '5m': expect.any(Number), '3d': expect.any(Number) } });
      // The HTML report writes the reasons under the chart.
      expect(readFileSync(report, 'utf8')).toContain('error budget 0.5% of calls over 30d');
    }, 120_000);
  }

  it('pages nothing on three quiet days with noise (deploy blips, surges, restarts, scrape gaps)', async () => {
    const data = join(dir, 'quiet.om');
    generateRecording({ scenario: 'quiet_fortnight', seed: 41, days: 3, out: data });
    const { code, stdout, stderr } = await backtest(['--rules', pack, '--data', data, '--json']);
    expect(code, stderr).toBe(0);
    expect(events(stdout).filter((e) => e.severity === 'critical')).toEqual([]);
  }, 120_000);
});
