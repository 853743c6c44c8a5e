// `sentinel backtest --prometheus` throughput, against `--data` on the same history, in one run.
//   npm run bench -- prometheus        (builds first; or: npm run build && npx node bench/prometheus.bench.ts)
// Generates a 14-day recording at one scrape a minute (quiet fortnight, ~300 series), imports it into
// a fresh TSDB with promtool (one block), serves it with Debian's prometheus on loopback, then times in
// separate processes: (a) `sentinel backtest --data FILE`, (b) `sentinel backtest --prometheus URL`
// over the same 14 days, and (c) the Prometheus reader alone at a few window sizes and concurrencies.
// Env: SENTINEL_BENCH_DAYS (default 14), SENTINEL_BENCH_KEEP=1 keeps the files.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startServing } from '../test/e2e/support/processes.ts';
import { generateRecording } from '../test/support/recording-generator.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Timed { seconds: number; maxRssMb: number; ok: boolean; stdout: string; stderr: string }

function timed(cmd: string, args: string[]): Timed {
  const timeFile = join(tmpdir(), `sentinel-bench-time-${process.pid}`);
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', '-o', timeFile, cmd, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 256 << 20 });
  const [secs, kb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  rmSync(timeFile, { force: true });
  return { seconds: secs!, maxRssMb: kb! / 1024, ok: r.status === 0, stdout: r.stdout, stderr: r.stderr };
}

/** Child mode: the reader alone, every batch counted and dropped. */
async function readerChild(url: string, fromMs: number, toMs: number, points: number, concurrency: number): Promise<void> {
  const { readPrometheus, newPrometheusReadStats } = await import(join(root, 'dist/ingest/prometheus/index.js'));
  const { ruleSelectors } = await import(join(root, 'dist/detect/rule-selectors.js'));
  const { loadRules } = await import(join(root, 'dist/rules/index.js'));
  const loaded = await loadRules(join(root, 'rules'));
  const stats = newPrometheusReadStats();
  const t0 = performance.now();
  let samples = 0;
  for await (const b of readPrometheus({ url, fromMs, toMs, stepMs: 60_000, selectors: ruleSelectors(loaded.rules), pointsPerQuery: points, concurrency, stats })) samples += b.samples.length;
  process.stdout.write(JSON.stringify({ samples, seconds: (performance.now() - t0) / 1000, queries: stats.queries, series: stats.series, unread: stats.unread.length }));
}

const summaryLine = (stderr: string): string => stderr.trim().split('\n').filter((l) => /samples in/.test(l)).pop() ?? '';
const samplesOf = (stderr: string): number => Number((/^(\d+) samples? in/.exec(summaryLine(stderr)) ?? [])[1] ?? NaN);
const perSecond = (n: number, s: number): string => `${(n / s / 1e6).toFixed(2)} M samples/s`;

async function main(): Promise<void> {
  if (!existsSync(join(root, 'dist/cli/main.js'))) throw new Error('dist/ not built: npm run build');
  const days = Number(process.env.SENTINEL_BENCH_DAYS ?? 14);
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-bench-prom-'));
  let prom: Awaited<ReturnType<typeof startServing>> | undefined;
  try {
    let t0 = performance.now();
    const truth = generateRecording({ scenario: 'quiet_fortnight', seed: 42, days, out: join(dir, `${days}d.om`) });
    console.log(`generated ${days}-day recording: ${truth.samples} samples, ${truth.series} series, ${truth.scrapes} scrapes (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    t0 = performance.now();
    const spanHours = Math.ceil((truth.endMs - truth.startMs) / 3_600_000) + 2;
    const imported = timed('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', `--max-block-duration=${spanHours}h`, truth.file!, join(dir, 'tsdb')]);
    if (!imported.ok) throw new Error(`promtool failed: ${imported.stderr.slice(-500)}`);
    console.log(`promtool import: ${imported.seconds.toFixed(1)} s`);
    writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1m\n');
    const port = await freePort();
    prom = await startServing('Prometheus', 'prometheus', '/usr/bin/prometheus', [
      `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, '--storage.tsdb.retention.time=100y',
      `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn',
    ], port, join(dir, 'prom-tmp'));
    const from = new Date(truth.startMs).toISOString();
    const to = new Date(truth.endMs).toISOString();

    const cli = join(root, 'bin/sentinel.js');
    const data = timed(process.execPath, [cli, 'backtest', '--rules', join(root, 'rules'), '--data', truth.file!, '--json']);
    const viaProm = timed(process.execPath, [cli, 'backtest', '--rules', join(root, 'rules'), '--prometheus', prom.url, '--from', from, '--to', to, '--json']);
    if (!data.ok || !viaProm.ok) throw new Error(`backtest failed:\n${data.stderr.slice(-400)}\n${viaProm.stderr.slice(-400)}`);
    const same = data.stdout.split('\n').filter(Boolean).length === viaProm.stdout.split('\n').filter(Boolean).length;
    const nData = samplesOf(data.stderr);
    const nProm = samplesOf(viaProm.stderr);

    console.log('');
    console.log(`| ${days} days, default pack, whole process | samples | time | throughput | peak RSS |`);
    console.log('|---|---|---|---|---|');
    console.log(`| sentinel backtest --data (every series in the file) | ${nData} | ${data.seconds.toFixed(2)} s | ${perSecond(nData, data.seconds)} | ${data.maxRssMb.toFixed(0)} MB |`);
    console.log(`| sentinel backtest --prometheus (only the rules' series, query_range, 720 points x 2 in flight) | ${nProm} | ${viaProm.seconds.toFixed(2)} s | ${perSecond(nProm, viaProm.seconds)} | ${viaProm.maxRssMb.toFixed(0)} MB |`);
    console.log('');
    console.log(`wall time --prometheus / --data: ${(viaProm.seconds / data.seconds).toFixed(2)}x; transitions ${same ? 'equal in number' : 'DIFFER in number'} (${data.stdout.split('\n').filter(Boolean).length} vs ${viaProm.stdout.split('\n').filter(Boolean).length})`);

    console.log('');
    console.log('| reader alone (readPrometheus), points per query x in flight | samples | queries | time | throughput |');
    console.log('|---|---|---|---|---|');
    for (const [points, conc] of [[720, 1], [720, 2], [720, 4], [180, 2], [1440, 2], [11000, 1]] as const) {
      const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child-reader', prom.url, String(truth.startMs), String(truth.endMs), String(points), String(conc)], { cwd: root, encoding: 'utf8' });
      if (r.status !== 0) { console.log(`| ${points} x ${conc} | failed: ${r.stderr.slice(-200)} |`); continue; }
      const c = JSON.parse(r.stdout) as { samples: number; seconds: number; queries: number; unread: number };
      console.log(`| ${points} x ${conc} | ${c.samples} | ${c.queries} | ${c.seconds.toFixed(2)} s | ${perSecond(c.samples, c.seconds)}${c.unread ? ` (${c.unread} unread)` : ''} |`);
    }
  } finally {
    await prom?.stop();
    if (process.env.SENTINEL_BENCH_KEEP === '1') console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child-reader') {
  const [url, from, to, points, conc] = process.argv.slice(3);
  await readerChild(url!, Number(from), Number(to), Number(points), Number(conc));
} else await main();
