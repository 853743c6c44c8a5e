// Backtest throughput, against promtool ingesting the same file in the same run.
//   npm run bench -- backtest        (builds first; or: npm run build && npx node bench/backtest.bench.ts)
// Generates a 14-day recording at one scrape a minute (quiet fortnight: ~370 series, ~6.6 M samples,
// ~0.9 GB) and a 7-day one, then measures in separate processes (clean heaps, honest peak RSS):
//   (a) parse alone (dist/ingest), (b) `sentinel backtest` with the default rule pack (parse + detector),
//   (c) `promtool tsdb create-blocks-from openmetrics` (Debian prometheus) on the same file.
// (a) and (b) run alternately SENTINEL_BENCH_REPEAT times (default 3) and each reports its best run:
// on a shared machine a load spike during one lone run would decide the ratio.
// Env: SENTINEL_BENCH_DAYS (default 14), SENTINEL_BENCH_KEEP=1 keeps the files, SENTINEL_BENCH_PROMTOOL=0 skips (c).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateRecording } from '../test/support/recording-generator.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Run { seconds: number; maxRssMb: number; cpuSeconds?: number; wholeSeconds?: number; samples?: number; liveHeapMb?: number; ok: boolean; note?: string }

/** Child mode: parse a file, nothing else, and report samples, time and peak RSS as JSON. */
async function parseChild(file: string, timeOnly: boolean): Promise<void> {
  const { readRecording, newReadStats } = await import(join(root, 'dist/ingest/index.js'));
  const stats = newReadStats();
  const t0 = performance.now();
  let samples = 0;
  for await (const batch of readRecording(file, { stats })) samples += batch.samples.length;
  const seconds = (performance.now() - t0) / 1000;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  // RSS follows V8's heap sizing; what the reader really keeps is the live heap after a full GC.
  // A second, untimed pass samples it every 500 batches.
  let liveHeapMb = 0;
  let batches = 0;
  if (!timeOnly) for await (const _ of readRecording(file)) {
    if (++batches % 500 === 0) {
      (globalThis as { gc?: () => void }).gc?.();
      liveHeapMb = Math.max(liveHeapMb, process.memoryUsage().heapUsed / 2 ** 20);
    }
  }
  process.stdout.write(JSON.stringify({ samples, seconds, maxRssMb, liveHeapMb, malformed: stats.malformed }));
}

/** Child mode: the detector's live heap after GC while the default pack runs over the file. */
async function backtestHeapChild(file: string): Promise<void> {
  const { loadRules } = await import(join(root, 'dist/rules/index.js'));
  const { runBacktest } = await import(join(root, 'dist/backtest/index.js'));
  const loaded = await loadRules(join(root, 'rules'));
  if (!loaded.ok) throw new Error('default pack does not load');
  let batches = 0;
  let liveHeapMb = 0;
  await runBacktest(loaded.rules, file, {
    onBatch: () => {
      if (++batches % 500 === 0) {
        (globalThis as { gc?: () => void }).gc?.();
        liveHeapMb = Math.max(liveHeapMb, process.memoryUsage().heapUsed / 2 ** 20);
      }
    },
  });
  process.stdout.write(JSON.stringify({ liveHeapMb }));
}

function backtestHeap(file: string): number | undefined {
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child-backtest-heap', file], { cwd: root, encoding: 'utf8' });
  return r.status === 0 ? (JSON.parse(r.stdout) as { liveHeapMb: number }).liveHeapMb : undefined;
}

/** Runs a command under /usr/bin/time for wall time and peak RSS. */
function timed(cmd: string, args: string[]): Run & { stdout: string } {
  const timeFile = join(tmpdir(), `sentinel-bench-time-${process.pid}`);
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', '-o', timeFile, cmd, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  const [secs, kb, user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  rmSync(timeFile, { force: true });
  const ok = r.status === 0;
  return { seconds: secs!, maxRssMb: kb! / 1024, cpuSeconds: user! + sys!, ok, stdout: r.stdout, ...(ok ? {} : { note: (r.stderr || '').trim().split('\n').slice(-3).join(' | ') }) };
}

function parseRun(file: string, timeOnly = false): Run {
  const r = timed(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', file, ...(timeOnly ? ['--time-only'] : [])]);
  if (!r.ok) return r;
  const child = JSON.parse(r.stdout) as { samples: number; seconds: number; maxRssMb: number; liveHeapMb: number };
  return { seconds: child.seconds, maxRssMb: child.maxRssMb, samples: child.samples, liveHeapMb: child.liveHeapMb, ok: true, ...(timeOnly ? { cpuSeconds: r.cpuSeconds, wholeSeconds: r.seconds } : {}) };
}

function backtestRun(file: string): Run {
  if (!existsSync(join(root, 'dist/cli/main.js'))) return { seconds: NaN, maxRssMb: NaN, ok: false, note: 'dist/ not built (npm run build)' };
  return timed(process.execPath, [join(root, 'bin/sentinel.js'), 'backtest', '--rules', join(root, 'rules'), '--data', file, '--json']);
}

function promtoolRun(file: string, out: string, spanHours: number): Run {
  // One block for the whole file: with its default 2 h blocks promtool re-reads the whole input once
  // per block (168 passes over a 14-day file, tens of minutes), which would measure nothing useful.
  return timed('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', `--max-block-duration=${spanHours}h`, file, out]);
}

/** The fastest of runs that succeeded (else the first). */
const best = (runs: Run[]): Run => runs.filter((r) => r.ok).sort((a, b) => a.seconds - b.seconds)[0] ?? runs[0]!;

const rate = (samples: number, r: Run): string => (r.ok ? `${(samples / r.seconds / 1e6).toFixed(2)} M samples/s` : 'failed');

async function main(): Promise<void> {
  const days = Number(process.env.SENTINEL_BENCH_DAYS ?? 14);
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-bench-'));
  try {
    const t0 = performance.now();
    const full = generateRecording({ scenario: 'quiet_fortnight', seed: 42, days, out: join(dir, `${days}d.om`) });
    const half = generateRecording({ scenario: 'quiet_fortnight', seed: 42, days: days / 2, out: join(dir, `${days / 2}d.om`) });
    console.log(`generated ${days}-day recording: ${full.samples} samples, ${full.series} series, ${full.scrapes} scrapes `
      + `(${((performance.now() - t0) / 1000).toFixed(1)} s for both files)`);

    const repeat = Math.max(1, Number(process.env.SENTINEL_BENCH_REPEAT ?? 3));
    const parses = [parseRun(full.file!)];
    const backtests = [backtestRun(full.file!)];
    for (let i = 1; i < repeat && backtests[0]!.ok; i++) {
      parses.push({ ...parseRun(full.file!, true), liveHeapMb: parses[0]!.liveHeapMb });
      backtests.push(backtestRun(full.file!));
    }
    const parse = best(parses);
    const parseHalf = parseRun(half.file!);
    const backtest = best(backtests);
    const backtestHalf = backtest.ok ? backtestRun(half.file!) : undefined;
    const withPromtool = process.env.SENTINEL_BENCH_PROMTOOL !== '0' && existsSync('/usr/bin/promtool');
    const spanHours = Math.ceil((full.endMs - full.startMs) / 3_600_000) + 2;
    const promtool = withPromtool ? promtoolRun(full.file!, join(dir, 'tsdb'), spanHours) : undefined;

    const n = full.samples;
    console.log('');
    console.log(`| ${days}-day file, ${n} samples | time | throughput | peak RSS ${days / 2}d → ${days}d |`);
    console.log('|---|---|---|---|');
    console.log(`| parse only (readRecording) | ${parse.seconds.toFixed(2)} s | ${rate(n, parse)} | ${parseHalf.maxRssMb.toFixed(0)} → ${parse.maxRssMb.toFixed(0)} MB |`);
    console.log(`| sentinel backtest, default pack (parse + detect, whole process) | ${backtest.ok ? backtest.seconds.toFixed(2) + ' s' : '-'} | ${rate(n, backtest)} | `
      + `${backtestHalf ? backtestHalf.maxRssMb.toFixed(0) + ' → ' + backtest.maxRssMb.toFixed(0) + ' MB' : '-'} |`);
    if (promtool) console.log(`| promtool tsdb create-blocks-from openmetrics | ${promtool.seconds.toFixed(2)} s | ${rate(n, promtool)} | ${promtool.maxRssMb.toFixed(0)} MB (${days}d) |`);
    console.log('');
    if (repeat > 1) console.log(`best of ${repeat} alternated runs each; all runs: parse ${parses.map((r) => r.seconds.toFixed(2)).join(', ')} s, backtest ${backtests.map((r) => r.seconds.toFixed(2)).join(', ')} s`);
    if (!backtest.ok) console.log(`sentinel backtest did not run: ${backtest.note}`);
    // Same file, same run. The backtest's time is its whole process (start-up and rule loading included).
    else console.log(`ratio backtest / parse alone: ${(backtest.seconds / parse.seconds).toFixed(2)}x (goal <= 2x: ${backtest.seconds / parse.seconds <= 2 ? 'met' : 'NOT met'})`);
    // CPU time moves less with the machine's load than wall time; both sides as whole processes here.
    const cpu = (runs: Run[]) => Math.min(...runs.map((r) => r.cpuSeconds ?? Infinity));
    // The parse row above times the read loop alone; the backtest row is a whole process (Node's start,
    // imports, rule loading). Timed the same way, a bare stream-and-parse process against the backtest:
    const whole = Math.min(...parses.map((r) => r.wholeSeconds ?? Infinity));
    if (backtest.ok && whole < Infinity) console.log(`ratio backtest / parse, both whole processes (wall): ${backtest.seconds.toFixed(2)} / ${whole.toFixed(2)} s = ${(backtest.seconds / whole).toFixed(2)}x (goal <= 2x: ${backtest.seconds / whole <= 2 ? 'met' : 'NOT met'})`);
    if (backtest.ok && cpu(parses) < Infinity) console.log(`CPU seconds (user+sys, whole process, least of the runs): parse ${cpu(parses).toFixed(2)}, backtest ${cpu(backtests).toFixed(2)}: ${(cpu(backtests) / cpu(parses)).toFixed(2)}x`);
    if (promtool && !promtool.ok) console.log(`promtool failed: ${promtool.note}`);
    if (promtool?.ok) {
      console.log(`ratio parse / promtool: ${(promtool.seconds / parse.seconds).toFixed(1)}x`);
      if (backtest.ok) console.log(`ratio backtest / promtool: ${(promtool.seconds / backtest.seconds).toFixed(1)}x (goal: backtest >= 1 M samples/s: ${n / backtest.seconds >= 1e6 ? 'met' : 'NOT met'})`);
    }
    const growth = (a: number, b: number): string => `${((b / a - 1) * 100).toFixed(0)}%`;
    const heapHalf = backtest.ok ? backtestHeap(half.file!) : undefined;
    const heapFull = backtest.ok ? backtestHeap(full.file!) : undefined;
    if (heapHalf !== undefined && heapFull !== undefined) {
      console.log(`detector + parser live heap after GC (default pack): ${heapHalf.toFixed(1)} MB (${days / 2}d) → ${heapFull.toFixed(1)} MB (${days}d)`);
    }
    console.log(`memory as the file doubles: peak RSS parse ${growth(parseHalf.maxRssMb, parse.maxRssMb)}`
      + (backtestHalf ? `, backtest ${growth(backtestHalf.maxRssMb, backtest.maxRssMb)}` : '')
      + `; parser's live heap after GC ${parseHalf.liveHeapMb!.toFixed(1)} MB → ${parse.liveHeapMb!.toFixed(1)} MB`);
  } finally {
    if (process.env.SENTINEL_BENCH_KEEP === '1') console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await parseChild(process.argv[3]!, process.argv[4] === '--time-only');
else if (process.argv[2] === '--child-backtest-heap') await backtestHeapChild(process.argv[3]!);
else await main();
