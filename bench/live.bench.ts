// `sentinel run` under load: one loopback target exposing 100 k series, scraped every 15 s, with the
// default rule pack, for 10 minutes of wall time; then a restart.
//   npm run bench -- live                         (builds first)
//   SENTINEL_BENCH_MINUTES=2 npm run bench -- live  (iterate)
// Env: SENTINEL_BENCH_MINUTES (10), SENTINEL_BENCH_SERIES (100000), SENTINEL_BENCH_EVAL (1m, the
// service's default evaluation_interval), SENTINEL_BENCH_ROOT (another checkout's built tree, to measure
// before/after with this same harness).
// The target and the service run in their own processes; this one only polls /healthz and reads
// /proc. CPU is the service's own user+system time (/proc/PID/stat), not wall time: the machine is shared.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('..', import.meta.url));
const root = process.env.SENTINEL_BENCH_ROOT ?? here;
const CLK_TCK = 100;

/** Child mode: the target. Series the default pack reads (requests, latency and DB histograms, queue
 *  events) across partners, operations and pods, topped up with a gauge no rule reads. */
function serveTarget(wanted: number): void {
  const lines: string[] = [];
  const kinds: Array<'counter' | 'bucket'> = [];
  const les = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];
  const outcomes = [['success', ''], ['auth_error', '401'], ['server_error', '503'], ['timeout', ''], ['rate_limited', '429']];
  for (let p = 0; p < 50 && lines.length < wanted; p++) for (let o = 0; o < 20; o++) for (let pod = 0; pod < 4; pod++) {
    const base = `partner="p${p}",operation="GET /op${o}/{id}",pod="pod-${pod}"`;
    for (const [outcome, code] of outcomes) { lines.push(`integration_requests_total{${base},outcome="${outcome}",error_code="${code}"}`); kinds.push('counter'); }
    for (const le of les) { lines.push(`integration_request_duration_seconds_bucket{${base},le="${le}"}`); kinds.push('bucket'); }
    lines.push(`integration_request_duration_seconds_sum{${base}}`, `integration_request_duration_seconds_count{${base}}`);
    kinds.push('counter', 'counter');
  }
  for (let q = 0; lines.length < wanted; q++) { lines.push(`app_cache_entries{shard="s${q}"}`); kinds.push('counter'); }
  lines.length = kinds.length = wanted;
  const values = new Float64Array(wanted);
  const server = createServer((_req, res) => {
    let out = '';
    for (let i = 0; i < wanted; i++) {
      values[i]! += kinds[i] === 'bucket' ? (i % 12) + 1 : Math.floor(Math.random() * 3);
      out += `${lines[i]} ${values[i]}\n`;
    }
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(out);
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as { port: number }).port}\n`));
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime
}
function procField(pid: number, file: 'status' | 'io', key: string): number {
  const line = readFileSync(`/proc/${pid}/${file}`, 'utf8').split('\n').find((l) => l.startsWith(`${key}:`));
  return Number(line?.split(/\s+/)[1] ?? NaN);
}
function dirBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) total += e.isDirectory() ? dirBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size;
  return total;
}

function startService(config: string): { child: ChildProcess; started: Promise<{ ms: number; base: string }>; lines: string[] } {
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(root, 'bin', 'sentinel.js'), 'run', '--config', config], { env: { PATH: process.env.PATH ?? '', BENCH_SLACK_TOKEN: 'xoxb-bench' }, stdio: ['ignore', 'ignore', 'pipe'] });
  const lines: string[] = [];
  const started = new Promise<{ ms: number; base: string }>((resolve, reject) => {
    let partial = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop()!;
      for (const line of parts) {
        if (lines.length < 2_000) lines.push(line);
        const m = /service_started listen=(\S+)/.exec(line);
        if (m) resolve({ ms: performance.now() - t0, base: `http://${m[1]}` });
      }
    });
    child.once('exit', (code) => reject(new Error(`sentinel run exited ${code}:\n${lines.slice(-20).join('\n')}`)));
  });
  return { child, started, lines };
}

/** Sum and count of a histogram family in the service's /metrics, over all its series. */
function histogram(text: string, name: string): { sum: number; count: number } {
  let sum = 0;
  let count = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}_sum`)) sum += Number(line.split(' ').at(-1));
    if (line.startsWith(`${name}_count`)) count += Number(line.split(' ').at(-1));
  }
  return { sum, count };
}

const p = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

async function main(): Promise<void> {
  const minutes = Number(process.env.SENTINEL_BENCH_MINUTES ?? 10);
  const wanted = Number(process.env.SENTINEL_BENCH_SERIES ?? 100_000);
  const evaluation = process.env.SENTINEL_BENCH_EVAL ?? '1m';
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-live-bench-'));
  const children: ChildProcess[] = [];
  try {
    const target = spawn(process.execPath, [fileURLToPath(import.meta.url), '--target', String(wanted)], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(target);
    const port = await new Promise<string>((resolve) => target.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
    const config = join(dir, 'sentinel.yaml');
    writeFileSync(config, `listen: { host: 127.0.0.1, port: 0 }
data_dir: ./data
rules: ${join(root, 'rules')}
evaluation_interval: ${evaluation}
scrape_interval: 15s
scrape_timeout: 10s
targets:
  - name: big
    url: http://127.0.0.1:${port}/metrics
escalation:
  global: { slack_api_url: "http://127.0.0.1:9/api/", slack_token_env: BENCH_SLACK_TOKEN }
  route: { receiver: oncall }
  receivers:
    - name: oncall
      slack_configs: [{ channel: "#bench" }]
`);
    const load0 = loadavg();
    const first = startService(config);
    children.push(first.child);
    const { base } = await first.started;
    const pid = first.child.pid!;
    const cpu0 = cpuSeconds(pid);
    const written0 = procField(pid, 'io', 'wchar');
    const wall0 = performance.now();
    const latencies: number[] = [];
    const deadline = wall0 + minutes * 60_000;
    let failures = 0;
    while (performance.now() < deadline) {
      if (first.child.exitCode !== null || first.child.signalCode !== null) {
        throw new Error(`sentinel run died (${first.child.exitCode ?? first.child.signalCode}):\n${first.lines.slice(-20).join('\n')}`);
      }
      const t = performance.now();
      try {
        await (await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(30_000) })).text();
        latencies.push(performance.now() - t);
      } catch {
        failures++;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const cpu = cpuSeconds(pid) - cpu0;
    const wall = (performance.now() - wall0) / 1000;
    const written = procField(pid, 'io', 'wchar') - written0;
    const peakRssMb = procField(pid, 'status', 'VmHWM') / 1024;
    const metrics = await (await fetch(`${base}/metrics`)).text();
    const scrape = histogram(metrics, 'sentinel_scrape_duration_seconds');
    const evals = histogram(metrics, 'sentinel_rule_evaluation_duration_seconds');
    const samples = Number(/^sentinel_scrape_samples\{target="big"\} (\d+)/m.exec(metrics)?.[1] ?? NaN);
    // The state's own bytes (whole documents and journal frames), absent from builds before the journal.
    const stateWritten = Number(/^sentinel_state_bytes_written_total (\d+)/m.exec(metrics)?.[1] ?? NaN);
    const stateBytes = dirBytes(join(dir, 'data'));
    const stopT0 = performance.now();
    first.child.kill('SIGTERM');
    await new Promise((r) => first.child.once('exit', r));
    const stopMs = performance.now() - stopT0;
    const second = startService(config);
    children.push(second.child);
    const restart = await second.started;
    const restored = second.lines.find((l) => /state_restored|state_fresh/.test(l)) ?? '?';
    const load1 = loadavg();
    latencies.sort((a, b) => a - b);
    const perEval = evals.count > 0 ? written / evals.count : NaN;
    console.log(`root ${root}; ${minutes} min, ${samples} samples per scrape, evaluation_interval ${evaluation}`);
    console.log(`load average at start ${load0.map((l) => l.toFixed(1)).join(' ')}, at end ${load1.map((l) => l.toFixed(1)).join(' ')} (2 cores, shared)`);
    console.log('');
    console.log('| measure | value | goal |');
    console.log('|---|---|---|');
    console.log(`| CPU share of one core (service user+sys / wall) | ${((cpu / wall) * 100).toFixed(1)} % (${cpu.toFixed(1)} s in ${wall.toFixed(0)} s) | <= 10 % |`);
    console.log(`| peak RSS (VmHWM) | ${peakRssMb.toFixed(0)} MB | <= 1 GB |`);
    console.log(`| bytes written per evaluation (wchar / evaluations) | ${(perEval / 2 ** 20).toFixed(1)} MB (${evals.count} evaluations) | |`);
    console.log(`| of which the detector state (sentinel_state_bytes_written_total / evaluations) | ${Number.isNaN(stateWritten) ? 'n/a' : `${(stateWritten / evals.count / 2 ** 20).toFixed(2)} MB`} | |`);
    console.log(`| data_dir size at the end | ${(stateBytes / 2 ** 20).toFixed(1)} MB | |`);
    console.log(`| scrape + parse, mean (wall, in process) | ${((scrape.sum / scrape.count) * 1000).toFixed(0)} ms (${scrape.count} scrapes) | |`);
    console.log(`| evaluation (step + escalation), mean (wall) | ${((evals.sum / evals.count) * 1000).toFixed(0)} ms | |`);
    console.log(`| /healthz p50 / p99 / max (${latencies.length} requests, ${failures} failed) | ${p(latencies, 0.5).toFixed(1)} / ${p(latencies, 0.99).toFixed(1)} / ${latencies.at(-1)!.toFixed(1)} ms | p99 <= 50 ms |`);
    console.log(`| stop (SIGTERM to exit, final write) | ${(stopMs / 1000).toFixed(2)} s | |`);
    console.log(`| restart (spawn to listening, state restored) | ${(restart.ms / 1000).toFixed(2)} s | <= 10 s |`);
    console.log('');
    console.log(`restart: ${restored.replace(/^\S+ /, '')}`);
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--target') serveTarget(Number(process.argv[3]));
else await main();
