// The default pack over many seeds of every postmortem scenario: minutes to page and false pages.
// Runs the built package (dist/), so build first:
//   npm run build && npx node test/detect/sweep.ts --seeds 1-10 [--scenarios a,b] [--days 3] [--noise] [--vary] [--interval 60]
// Prints one line per replay and a summary per scenario; exits 1 if any incident was paged late or
// not at all, a page about the incident's entity resolved while the incident still went on, or
// anything paged outside an incident. "Resolve delay" is from the incident's real end to the last
// resolve of a page naming its entity (a page that never resolves in the recording: '-').
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateRecording, SCENARIOS, type ScenarioName } from '../support/recording-generator.ts';

const dist = new URL('../../dist/', import.meta.url).pathname;
const { loadRules } = await import(join(dist, 'rules/index.js'));
const { openDetector } = await import(join(dist, 'detect/index.js'));
const { BacktestCadence } = await import(join(dist, 'backtest/index.js'));
const { readRecording } = await import(join(dist, 'ingest/index.js'));

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '1-5' },
    scenarios: { type: 'string', default: SCENARIOS.join(',') },
    days: { type: 'string' },
    noise: { type: 'boolean', default: false },
    vary: { type: 'boolean', default: false },
    interval: { type: 'string' },
  },
});
const [lo, hi] = values.seeds.split('-').map(Number);
const seeds = Array.from({ length: (hi ?? lo!) - lo! + 1 }, (_, i) => lo! + i);
const loaded = await loadRules(new URL('../../rules', import.meta.url).pathname);
if (!loaded.ok) throw new Error('the default pack does not load');

interface Page { id: string; rule: string; labels: Record<string, string>; atMs: number; at: string; severity: string; state: string }
let failed = false;
for (const scenario of values.scenarios.split(',') as ScenarioName[]) {
  const minutes: number[] = [];
  let misses = 0;
  let falsePages = 0;
  let earlyResolves = 0;
  const resolveDelays: number[] = [];
  for (const seed of seeds) {
    const dir = mkdtempSync(join(tmpdir(), 'sentinel-sweep-'));
    try {
      const file = join(dir, 'r.om');
      const truth = generateRecording({
        scenario, seed, out: file, noise: values.noise, vary: values.vary,
        ...(values.days ? { days: Number(values.days) } : {}),
        ...(values.interval ? { intervalSeconds: Number(values.interval) } : {}),
      });
      const detector = new BacktestCadence(openDetector(loaded.rules));
      const pages: Page[] = [];
      const resolves: Page[] = [];
      const paged = new Set<string>();
      for await (const batch of readRecording(file)) {
        for (const e of detector.feed(batch) as Page[]) {
          if (e.severity !== 'critical') continue;
          if (e.state === 'firing') {
            pages.push(e);
            paged.add(e.id);
          } else if (e.state === 'resolved' && paged.delete(e.id)) resolves.push(e);
        }
      }
      const inc = truth.incident;
      const names = (p: Page): boolean => !!inc && inc.entities.some((e) => Object.entries(e).every(([k, v]) => p.labels[k] === v));
      // Pages about the incident's entity: none may resolve before it ends; the last resolves after it.
      const ours = inc ? resolves.filter((r) => names(r) && r.atMs >= inc.startMs - 3_600_000) : [];
      const early = inc ? ours.filter((r) => r.atMs < inc.endMs) : [];
      const stillFiring = inc ? [...paged].some((id) => pages.some((p) => p.id === id && names(p) && p.atMs >= inc.startMs - 3_600_000)) : false;
      const delay = inc && ours.length && !stillFiring ? (Math.max(...ours.map((r) => r.atMs)) - inc.endMs) / 60_000 : undefined;
      if (delay !== undefined) resolveDelays.push(delay);
      earlyResolves += early.length;
      const hit = inc ? pages.find((p) => p.atMs >= inc.startMs - 3_600_000 && names(p)) : undefined;
      const falses = pages.filter((p) => !inc || p.atMs < inc.startMs - 3_600_000 || p.atMs > inc.endMs + 1_800_000);
      const late = inc ? !hit || (hit.atMs - inc.startMs) / 60_000 > inc.pageWithinMinutes : false;
      if (hit && inc) minutes.push((hit.atMs - inc.startMs) / 60_000);
      if (inc && late) misses++;
      falsePages += falses.length;
      failed ||= late || falses.length > 0 || early.length > 0;
      const when = inc ? `${new Date(inc.startMs).toISOString().slice(0, 16)} ${JSON.stringify(inc.entities)}` : '';
      const pagedText = inc ? (hit ? `paged after ${((hit.atMs - inc.startMs) / 60_000).toFixed(0)} min${late ? ' (LATE)' : ''}` : 'NOT PAGED') : '';
      const resolved = inc ? ` resolved ${delay === undefined ? '-' : `${delay.toFixed(0)} min after the end`}${early.map((r) => ` EARLY ${r.rule}${JSON.stringify(r.labels)}@${r.at}`).join('')}` : '';
      console.log(`${scenario} seed ${seed} ${when} ${pagedText}${resolved} false pages: ${falses.length}${falses.map((p) => ` ${p.rule}${JSON.stringify(p.labels)}@${p.at}`).join('')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const sorted = [...minutes].sort((a, b) => a - b);
  const median = sorted.length ? sorted[Math.floor(sorted.length / 2)]!.toFixed(0) : '-';
  const max = sorted.length ? sorted.at(-1)!.toFixed(0) : '-';
  const delays = [...resolveDelays].sort((a, b) => a - b);
  const resolveText = delays.length ? `, resolve delay median ${delays[Math.floor(delays.length / 2)]!.toFixed(0)} max ${delays.at(-1)!.toFixed(0)} min, resolved early ${earlyResolves}` : '';
  console.log(`== ${scenario}: ${seeds.length} replays, pages late or missing ${misses}, median ${median} min, max ${max} min${resolveText}, false pages ${falsePages}`);
}
process.exitCode = failed ? 1 : 0;
