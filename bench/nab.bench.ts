// The anomaly kind on the Numenta Anomaly Benchmark, against the published detectors on the same files.
//   npm run bench -- nab          (builds first; or: npm run build && npx node bench/nab.bench.ts)
// (1) ../shared/nab/score.py over the 34 labelled files, running `sentinel backtest` with
//     bench/nab/anomaly.yaml (the one rule file for every NAB file): the three profiles;
// (2) the same scorer over the model alone (bench/nab/run-model.ts): it must give the same score;
// (3) throughput of the rule over the longest NAB file (22,695 rows), in process and as `sentinel
//     backtest` wall time minus a bare Node start; (4) bytes of state per series in the snapshot.
// Env: NAB_DIR (default ../shared/nab beside the repo), SENTINEL_BENCH_NAB_MODEL=0 skips (2).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const nab = process.env.NAB_DIR ?? join(root, '../../shared/nab');
const rules = join(root, 'bench/nab/anomaly.yaml');
const LONGEST = 'realKnownCause/machine_temperature_system_failure.csv';
/** The published detections scored on the same 34 files (../shared/nab/README.md). */
const PUBLISHED = [['Numenta HTM', 73.56], ['ARTime', 71.05], ['Twitter ADVec', 43.55]] as const;

if (!existsSync(join(nab, 'score.py'))) {
  process.stdout.write(`nab: no scorer at ${nab} (set NAB_DIR): skipped\n`);
  process.exit(0);
}

function score(run: string): { profiles: Map<string, string>; seconds: number } {
  const t0 = performance.now();
  const r = spawnSync('python3', [join(nab, 'score.py'), '--data', join(nab, 'data'), '--run', run], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`score.py failed: ${(r.stderr || r.stdout).trim().slice(-500)}`);
  const profiles = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const m = /^(\S+): NAB score (.*)$/.exec(line);
    if (m) profiles.set(m[1]!, m[2]!);
  }
  return { profiles, seconds: (performance.now() - t0) / 1000 };
}

const node = JSON.stringify(process.execPath);
const backtest = score(`${node} bin/sentinel.js backtest --rules ${JSON.stringify(rules)} --json --data {file}`);
process.stdout.write(`NAB, 34 labelled files, \`sentinel backtest --rules bench/nab/anomaly.yaml --json\` (${backtest.seconds.toFixed(0)} s):\n`);
for (const [profile, line] of backtest.profiles) process.stdout.write(`  ${profile.padEnd(20)} ${line.replace(/, \d+s\)$/, ')')}\n`);
const standard = Number(/^([\d.]+)/.exec(backtest.profiles.get('standard') ?? '')?.[1]);
for (const [name, published] of PUBLISHED) process.stdout.write(`  vs ${name.padEnd(14)} ${published.toFixed(2)} (standard, same 34 files): ${(standard - published >= 0 ? '+' : '') + (standard - published).toFixed(2)}\n`);

if (process.env.SENTINEL_BENCH_NAB_MODEL !== '0') {
  const model = score(`${node} bench/nab/run-model.ts {file}`);
  const same = [...backtest.profiles].every(([p, line]) => model.profiles.get(p)?.split(' ')[0] === line.split(' ')[0]);
  process.stdout.write(`the model alone (bench/nab/run-model.ts): standard ${model.profiles.get('standard')?.split(' ')[0]}: ${same ? 'the same score on every profile' : 'DIFFERS from the backtest'}\n`);
  if (!same) process.exitCode = 1;
}

// (3) and (4): in process, from dist/ (built by `npm run bench`).
const { loadRules } = await import(join(root, 'dist/rules/index.js'));
const { openDetector } = await import(join(root, 'dist/detect/index.js'));
const { readRecording } = await import(join(root, 'dist/ingest/index.js'));
const loaded = await loadRules(rules);
if (!loaded.ok) throw new Error(`${rules} does not load`);
const file = join(nab, 'data', LONGEST);
const batches = [];
for await (const b of readRecording(file)) batches.push(b);
let best = Infinity;
let detector;
for (let rep = 0; rep < 5; rep++) {
  detector = openDetector(loaded.rules);
  const t0 = performance.now();
  for (const b of batches) detector.step(b);
  best = Math.min(best, performance.now() - t0);
}
const wall = (args: string[]): number => {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return performance.now() - t0;
};
const cli = Math.min(...[0, 1, 2].map(() => wall(['bin/sentinel.js', 'backtest', '--rules', rules, '--json', '--data', file])));
const bare = Math.min(...[0, 1, 2].map(() => wall(['-e', 'await import("./dist/cli/main.js")', '--input-type=module'])));
process.stdout.write(`throughput, ${LONGEST} (${batches.length.toLocaleString('en')} rows): detector step ${best.toFixed(0)} ms in process (budget 500 ms); \`sentinel backtest\` ${cli.toFixed(0)} ms wall, ${(cli - bare).toFixed(0)} ms beyond loading Node and the CLI (${bare.toFixed(0)} ms)\n`);
const snapshot = detector.snapshot();
const bytes = Buffer.byteLength(JSON.stringify(snapshot));
const seasonal = openDetector(loaded.rules);
for await (const b of readRecording(join(nab, 'data/artificialWithAnomaly/art_daily_jumpsup.csv'))) seasonal.step(b);
const seasonalBytes = Buffer.byteLength(JSON.stringify(seasonal.snapshot()));
process.stdout.write(`memory per series (the whole detector snapshot, one series): ${bytes.toLocaleString('en')} bytes of JSON without a season; ${seasonalBytes.toLocaleString('en')} with a daily season at 5-minute steps (288 slots)\n`);
