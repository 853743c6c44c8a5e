// The anomaly kind on the Numenta Anomaly Benchmark, against the published detectors on the same files.
//   npm run bench -- nab          (builds first; or: npm run build && npx node bench/nab.bench.ts)
// (1) ../shared/nab/score.py over the 34 labelled files, running `sentinel backtest` with
//     bench/nab/anomaly.yaml (the one rule file for every NAB file): the three profiles;
// (2) the same scorer over the model alone (bench/nab/run-model.ts): it must give the same score;
// (3) throughput of the rule over the longest NAB file (22,695 rows): the detector in process, and
//     `sentinel backtest`'s CPU time beyond Node's start (wall time too, which a shared machine
//     inflates); (4) bytes of state per series in the detector's snapshot.
// Env: NAB_DIR (default: ../shared/nab beside the repository, or beside its worktrees' folder),
// SENTINEL_BENCH_NAB_MODEL=0 skips (2).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const nab = process.env.NAB_DIR ?? ['../shared/nab', '../../shared/nab'].map((rel) => join(root, rel)).find((dir) => existsSync(join(dir, 'score.py'))) ?? join(root, '../shared/nab');
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
/** CPU seconds (user + sys, from /usr/bin/time) and wall seconds of one child run: CPU is what the
 *  run costs; wall also counts the other processes sharing the machine. Best of three. */
function cost(args: string[]): { cpu: number; wall: number } {
  const timeFile = join(tmpdir(), `sentinel-nab-time-${process.pid}`);
  let best = { cpu: Infinity, wall: Infinity };
  for (let i = 0; i < 3; i++) {
    const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S', '-o', timeFile, process.execPath, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(r.stderr);
    const [wall, user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    if (user! + sys! < best.cpu) best = { cpu: user! + sys!, wall: wall! };
  }
  rmSync(timeFile, { force: true });
  return best;
}
const head = join(tmpdir(), 'sentinel-nab-head.csv');
writeFileSync(head, readFileSync(file, 'utf8').split('\n').slice(0, 11).join('\n') + '\n');
const cliArgs = (data: string): string[] => ['bin/sentinel.js', 'backtest', '--rules', rules, '--json', '--data', data];
const full = cost(cliArgs(file));
const fixed = cost(cliArgs(head));
const bare = cost(['-e', '']);
rmSync(head, { force: true });
process.stdout.write(`throughput, ${LONGEST} (${batches.length.toLocaleString('en')} rows; budget 0.5 s):\n`);
process.stdout.write(`  detector step alone, in process: ${(best / 1000).toFixed(3)} s wall\n`);
process.stdout.write(`  \`sentinel backtest\`: ${full.cpu.toFixed(2)} s CPU (${full.wall.toFixed(2)} s wall), of which Node's start ${bare.cpu.toFixed(2)} s and the CLI's fixed cost (a 10-row file) ${fixed.cpu.toFixed(2)} s: ${(full.cpu - bare.cpu).toFixed(2)} s beyond Node's start, ${(full.cpu - fixed.cpu).toFixed(2)} s for the rows\n`);
const snapshot = detector.snapshot();
const bytes = Buffer.byteLength(JSON.stringify(snapshot));
const seasonal = openDetector(loaded.rules);
for await (const b of readRecording(join(nab, 'data/artificialWithAnomaly/art_daily_jumpsup.csv'))) seasonal.step(b);
const seasonalBytes = Buffer.byteLength(JSON.stringify(seasonal.snapshot()));
process.stdout.write(`memory per series (the whole detector snapshot, one series): ${bytes.toLocaleString('en')} bytes of JSON without a season; ${seasonalBytes.toLocaleString('en')} with a daily season at 5-minute steps (288 slots)\n`);
