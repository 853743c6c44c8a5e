// `sentinel backtest --prometheus` against a real Prometheus filled from a generated recording finds
// the same incidents, within one evaluation step, as `sentinel backtest --data` on that recording.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../../src/cli/backtest.ts';
import { generateRecording, type GroundTruth } from '../../support/recording-generator.ts';
import { prometheusBinary, prometheusWithHistory, promtoolBinary } from './support.ts';

const pack = new URL('../../../rules/', import.meta.url).pathname;
const STEP_MS = 60_000;
let dir: string;
let data: string;
let truth: GroundTruth;
let prom: Awaited<ReturnType<typeof prometheusWithHistory>> | undefined;

async function backtest(argv: string[]): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const started = Date.now();
  try {
    const code = await run(argv);
    return { code, stdout, stderr, ms: Date.now() - started };
  } finally {
    vi.restoreAllMocks();
  }
}

interface Transition { rule: string; state: string; labels: Record<string, string>; at: string }
const transitions = (stdout: string): Transition[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Transition);
const key = (t: Transition): string => `${t.rule} ${JSON.stringify(t.labels)} ${t.state}`;

const available = prometheusBinary !== undefined && promtoolBinary !== undefined;

describe.skipIf(!available)('sentinel backtest --prometheus (real Prometheus, history from promtool)', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sentinel-backtest-prom-'));
    data = join(dir, 'recording.om');
    truth = generateRecording({ scenario: 'error_code_shift', seed: 3, days: 3, out: data });
    prom = await prometheusWithHistory(data, (truth.endMs - truth.startMs) / 3_600_000);
  }, 60_000);
  afterAll(async () => {
    await prom?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pages the same incidents as --data on the original recording, each transition within one step', async () => {
    const fromFile = await backtest(['--rules', pack, '--data', data, '--json']);
    const from = new Date(truth.startMs).toISOString();
    const to = new Date(truth.endMs).toISOString();
    const fromProm = await backtest(['--rules', pack, '--prometheus', prom!.url, '--from', from, '--to', to, '--step', '60s', '--json']);
    expect(fromFile.code).toBe(0);
    expect(fromProm.stderr).not.toMatch(/NOT READ/);
    expect(fromProm.code).toBe(0);
    const a = transitions(fromFile.stdout);
    const b = transitions(fromProm.stdout);
    expect(a.some((t) => t.rule === 'partner_error_code_shift' && t.state === 'firing' && t.labels.partner === truth.incident!.entities[0]!.partner)).toBe(true);
    expect(b.map(key)).toEqual(a.map(key));
    for (let i = 0; i < a.length; i++) {
      // A recorded scrape at t+jitter is what query_range shows at the next step: at most one step later.
      expect(Math.abs(Date.parse(b[i]!.at) - Date.parse(a[i]!.at)), key(a[i]!)).toBeLessThanOrEqual(STEP_MS + 1000);
    }
    const summary = (s: string): string => s.trim().split('\n').at(-1)!;
    console.log(`equivalence: --data ${summary(fromFile.stderr)} in ${fromFile.ms} ms; --prometheus ${summary(fromProm.stderr)} in ${fromProm.ms} ms; promtool import ${prom!.importMs} ms; ${a.length} transitions`);
  }, 60_000);
});
