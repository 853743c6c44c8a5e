// The default pack over many seeds of every incident shape and quiet run: minutes to page, re-pages
// and false pages. Runs the built package (dist/), so build first:
//   npm run build && npx node test/detect/sweep.ts --seeds 1-10 [--scenarios a,b|shapes|all] [--intervals 15,30,60]
//     [--days 3] [--noise] [--vary] [--rules DIR] [--level 0.4] [--explain]
// --explain prints what each false page judged (its explain object), to see why it fired.
// --level forces the shape's level (partial_drop: successes fall to this share of normal; its goal, a
// page within 30 minutes, is stated for a drop to 40 %; drawn levels run 30-60 %).
// One line per replay, then a markdown table per scenario and scrape interval. Late: no page naming
// the incident's entity by its deadline (pageWithinMinutes, or pageByMs when earlier). A re-page is a
// second critical firing of the same alert between the incident's start and its end (nothing changed:
// it should have stayed firing). False: a critical page outside the incident (from an hour before its
// start to half an hour after its end; a quiet run: every page). The resolve delay is from the real end
// to the last resolve of a page naming the incident's entity. Exits 1 on any late, re-page or false page.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateRecording, SCENARIOS, SHAPE_SCENARIOS, type ScenarioName } from '../support/recording-generator.ts';

const dist = new URL('../../dist/', import.meta.url).pathname;
const { loadRules } = await import(join(dist, 'rules/index.js'));
const { openDetector } = await import(join(dist, 'detect/index.js'));
const { BacktestCadence } = await import(join(dist, 'backtest/index.js'));
const { readRecording } = await import(join(dist, 'ingest/index.js'));

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '1-5' },
    scenarios: { type: 'string', default: 'all' },
    intervals: { type: 'string', default: '60' },
    days: { type: 'string' },
    noise: { type: 'boolean', default: false },
    vary: { type: 'boolean', default: false },
    rules: { type: 'string', default: new URL('../../rules', import.meta.url).pathname },
    level: { type: 'string' },
    explain: { type: 'boolean', default: false },
  },
});
const [lo, hi] = values.seeds.split('-').map(Number);
const seeds = Array.from({ length: (hi ?? lo!) - lo! + 1 }, (_, i) => lo! + i);
const loaded = await loadRules(values.rules);
if (!loaded.ok) throw new Error('the rule pack does not load');
const scenarios = (values.scenarios === 'all' ? [...SCENARIOS, ...SHAPE_SCENARIOS] : values.scenarios === 'shapes' ? SHAPE_SCENARIOS : values.scenarios.split(',')) as ScenarioName[];
const intervals = values.intervals.split(',').map(Number);

interface Ev { id: string; rule: string; labels: Record<string, string>; atMs: number; at: string; severity: string; state: string; explain?: unknown }
interface Row { late: number; minutes: number[]; repages: number; falses: number; resolveDelays: number[]; resolvedEarly: number; warnLate: number; runs: number }
const table: string[] = ['| scenario | scrape | runs | late or missed | median min to page | max min to page | re-pages | false pages | resolve delay median / max (min) |', '|---|---|---|---|---|---|---|---|---|'];
let failed = false;
for (const scenario of scenarios) {
  for (const interval of intervals) {
    const row: Row = { late: 0, minutes: [], repages: 0, falses: 0, resolveDelays: [], resolvedEarly: 0, warnLate: 0, runs: 0 };
    for (const seed of seeds) {
      const line = await replayOne(scenario, seed, interval, row);
      console.log(line);
    }
    const sorted = [...row.minutes].sort((a, b) => a - b);
    const delays = [...row.resolveDelays].sort((a, b) => a - b);
    const median = (xs: number[]): string => (xs.length ? xs[Math.floor(xs.length / 2)]!.toFixed(0) : '-');
    const quiet = scenario === 'quiet_fortnight' || scenario === 'quiet_month';
    table.push(`| ${scenario}${values.level ? ` (level ${values.level})` : ''} | ${interval} s | ${row.runs} | ${quiet ? '-' : row.late + row.warnLate}${row.warnLate ? ` (${row.warnLate} warning late)` : ''} | ${quiet ? '-' : median(sorted)} | ${quiet ? '-' : sorted.length ? sorted.at(-1)!.toFixed(0) : '-'} | ${row.repages} | ${row.falses} | ${delays.length ? `${median(delays)} / ${delays.at(-1)!.toFixed(0)}` : '-'}${row.resolvedEarly ? `, ${row.resolvedEarly} early` : ''} |`);
  }
}
console.log('\n' + table.join('\n'));
process.exitCode = failed ? 1 : 0;

async function replayOne(scenario: ScenarioName, seed: number, interval: number, row: Row): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-sweep-'));
  try {
    const file = join(dir, 'r.om');
    const truth = generateRecording({
      scenario, seed, out: file, noise: values.noise, vary: values.vary, intervalSeconds: interval,
      ...(values.days ? { days: Number(values.days) } : {}),
      ...(values.level ? { level: Number(values.level) } : {}),
    });
    const detector = new BacktestCadence(openDetector(loaded.rules));
    const events: Ev[] = [];
    for await (const batch of readRecording(file)) for (const e of detector.feed(batch) as Ev[]) events.push(e);
    row.runs++;
    const inc = truth.incident;
    const names = (p: Ev): boolean => !!inc && inc.entities.some((e) => Object.entries(e).every(([k, v]) => p.labels[k] === v));
    const pages = events.filter((e) => e.severity === 'critical' && e.state === 'firing');
    const fromMs = inc ? inc.startMs - 3_600_000 : 0;
    const falses = pages.filter((p) => !inc || p.atMs < fromMs || p.atMs > inc.endMs + 1_800_000);
    // Re-pages: a second firing of one alert while the incident goes on.
    const seen = new Set<string>();
    let repages = 0;
    for (const p of pages) {
      if (!inc || p.atMs < inc.startMs || p.atMs > inc.endMs) continue;
      if (seen.has(p.id)) repages++;
      seen.add(p.id);
    }
    const hit = inc ? pages.find((p) => p.atMs >= fromMs && names(p)) : undefined;
    const deadline = inc ? Math.min(inc.startMs + inc.pageWithinMinutes * 60_000, inc.pageByMs ?? Infinity) : 0;
    // Minute resolution: a recorder stamps scrapes up to 250 ms late.
    const late = inc ? !hit || Math.floor((hit.atMs - inc.startMs) / 60_000) > Math.floor((deadline - inc.startMs) / 60_000) : false;
    let warnLate = false;
    if (inc?.warnBeforeMs !== undefined) warnLate = !events.some((e) => e.severity === 'warning' && e.state === 'firing' && names(e) && e.atMs < inc.warnBeforeMs!);
    // Resolves of pages naming the incident's entity.
    const open = new Map<string, number>();
    let lastResolve = -Infinity;
    let early = 0;
    for (const e of events) {
      if (e.severity !== 'critical' || !inc || !names(e) || e.atMs < fromMs) continue;
      if (e.state === 'firing') open.set(e.id, e.atMs);
      else if (e.state === 'resolved' && open.delete(e.id)) {
        if (e.atMs < inc.endMs) early++;
        lastResolve = Math.max(lastResolve, e.atMs);
      }
    }
    const delay = inc && open.size === 0 && lastResolve > -Infinity ? (lastResolve - inc.endMs) / 60_000 : undefined;
    if (delay !== undefined) row.resolveDelays.push(delay);
    if (hit && inc) row.minutes.push((hit.atMs - inc.startMs) / 60_000);
    if (late) row.late++;
    if (warnLate) row.warnLate++;
    row.repages += repages;
    row.falses += falses.length;
    row.resolvedEarly += early;
    failed ||= late || warnLate || repages > 0 || falses.length > 0;
    const when = inc ? `${new Date(inc.startMs).toISOString().slice(0, 16)} ${JSON.stringify(inc.entities)}` : '';
    const paged = inc ? (hit ? `paged after ${((hit.atMs - inc.startMs) / 60_000).toFixed(0)} min (deadline ${((deadline - inc.startMs) / 60_000).toFixed(0)})${late ? ' LATE' : ''}` : 'NOT PAGED') : '';
    const resolved = inc ? ` resolved ${delay === undefined ? (open.size ? 'never' : '-') : `${delay.toFixed(0)} min after the end`}${early ? ` ${early} EARLY` : ''}` : '';
    return `${scenario} ${interval}s seed ${seed} ${when} ${paged}${warnLate ? ' WARNING LATE' : ''}${resolved} re-pages ${repages} false ${falses.length}${falses.map((p) => ` ${p.rule}${JSON.stringify(p.labels)}@${p.at}${values.explain ? ' ' + JSON.stringify(p.explain) : ''}`).join('')}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
