// Generates OpenMetrics recordings of a healthy integration, optionally with one incident from our
// postmortems and the quiet fortnight's noise, and returns the ground truth so a test can assert
// "paged within N minutes" or "paged on nothing". Streams to a file: 14 days x 300 series is fine.
// Usage from tests: generateRecording({ scenario: 'success_drop', seed: 7, out: file }).
// Usage from a shell: npx node test/support/generate-recording.ts --scenario success_drop --seed 7 --out f.om
import { Rng } from './recording-random.js';
import { RecordingSink, ScrapeWriter } from './recording-writer.js';
import { drawVariation, NO_VARIATION, World } from './recording-world.js';
import { applyNoise, calmConditions, planIncident, planNoise, QUIET, SCENARIOS, SHAPE_SCENARIOS, type Incident, type NoiseEvent, type ScenarioName } from './recording-scenarios.js';
import { monthConditions, planMonthNoise } from './recording-shapes.js';

export { SCENARIOS, SHAPE_SCENARIOS };
export type { Incident, NoiseEvent, ScenarioName };

export interface GenerateOptions {
  readonly scenario: ScenarioName;
  readonly seed?: number;
  /** Length in days. For an incident, the healthy lead-in is `days - 1` days (the incident falls on
   *  the first fitting slot after it, and the recording runs on 2 hours past the incident's end).
   *  Defaults: 14 for quiet_fortnight, 5 otherwise. */
  readonly days?: number;
  /** Also mix in the quiet fortnight's noise (restart, gap, deploy blips, surge, zone blips).
   *  Always on for quiet_fortnight; default off for incidents. */
  readonly noise?: boolean;
  /** File to stream to. Without it the text is returned in `text` (small recordings only). */
  readonly out?: string;
  /** Scrape interval, default 60 s. */
  readonly intervalSeconds?: number;
  /** Start of the recording (ms, aligned down to the interval). Default: a seeded day in the week of Monday 2026-03-02. */
  readonly startMs?: number;
  /** Force the incident's start (ms) instead of drawing it. */
  readonly incidentAtMs?: number;
  /** partial_drop: force the level successes fall to (a share of normal) instead of drawing it in 0.3-0.6. */
  readonly level?: number;
  /** Default drawn from the seed: TYPE/HELP once at the top or before every scrape. */
  readonly typeLines?: 'top' | 'every-scrape';
  /** Share of sample lines whose labels are written in another order. Default 0.02. */
  readonly shuffledLabelShare?: number;
  /** Draw a different healthy world from the seed: operation rates x0.4-2.5, latencies x0.5-2,
   *  background errors x0.3-3, night floor 3-15 %, weekends 15-50 %, peak shifted +-2 h, and counters
   *  that start above 0 (the service ran before the recorder). Default off (keeps seeds stable). */
  readonly vary?: boolean;
}

export interface GroundTruth {
  readonly scenario: ScenarioName;
  readonly seed: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly intervalSeconds: number;
  readonly incident?: Incident;
  readonly noise: readonly NoiseEvent[];
  readonly samples: number;
  readonly scrapes: number;
  readonly series: number;
  readonly file?: string;
  readonly text?: string;
}

const DAY = 86_400_000;
const MONDAY_2026_03_02 = Date.UTC(2026, 2, 2);

export function generateRecording(opts: GenerateOptions): GroundTruth {
  const seed = opts.seed ?? 1;
  const rng = new Rng(seed);
  const intervalMs = (opts.intervalSeconds ?? 60) * 1000;
  const days = opts.days ?? (opts.scenario === 'quiet_fortnight' ? 14 : opts.scenario === 'quiet_month' ? 30 : 5);
  const startMs = Math.floor((opts.startMs ?? MONDAY_2026_03_02 + rng.int(0, 6) * DAY) / intervalMs) * intervalMs;

  const plan = QUIET.has(opts.scenario)
    ? undefined
    : planIncident(opts.scenario as Incident['kind'], startMs + Math.max(0, days - 1) * DAY, rng, opts.incidentAtMs, opts.level);
  const incident = plan?.incident;
  let endMs = startMs + days * DAY;
  if (incident) endMs = Math.max(endMs, incident.endMs + 2 * 3_600_000);
  endMs = Math.ceil(endMs / intervalMs) * intervalMs;

  const withNoise = opts.scenario === 'quiet_fortnight' || opts.noise === true;
  const avoid: [number, number] | undefined = incident
    ? [(incident.slowdownStartMs ?? incident.startMs) - 3 * 3_600_000, incident.endMs + 3_600_000]
    : undefined;
  const month = opts.scenario === 'quiet_month' ? monthConditions(startMs, rng) : undefined;
  const noise = month
    ? [...planMonthNoise(startMs + 6 * 3_600_000, endMs - 3_600_000, rng), ...month.notes]
    : withNoise ? planNoise(startMs + 6 * 3_600_000, endMs - 3_600_000, avoid, rng) : [];

  const variation = opts.vary ? drawVariation(new Rng(seed ^ 0x5eed)) : NO_VARIATION;
  const world = new World(rng, variation);
  if (opts.vary) {
    // The service ran for a while before the recorder started: counters start above 0.
    const warmMinutes = rng.int(60, 3 * 1440);
    for (let m = warmMinutes; m > 0; m -= 10) world.step(startMs - m * 60_000, 10, calmConditions());
  }
  const sink = new RecordingSink(opts.out);
  const writer = new ScrapeWriter(sink, world.families, {
    typeLines: opts.typeLines ?? (seed % 2 === 0 ? 'top' : 'every-scrape'),
    shuffledLabelShare: opts.shuffledLabelShare ?? 0.02,
  }, rng);

  for (let t = startMs; t <= endMs; t += intervalMs) {
    for (const e of noise) if (e.kind === 'restart' && e.startMs > t - intervalMs && e.startMs <= t) world.restart();
    const c = calmConditions();
    month?.apply(t, c);
    plan?.apply(t, c);
    applyNoise(noise, t, c, rng, intervalMs);
    world.step(t, intervalMs / 60_000, c);
    const inGap = noise.some((e) => e.kind === 'scrape_gap' && t >= e.startMs && t < e.endMs);
    // A recorder stamps each scrape with its own jitter of a few hundred milliseconds.
    if (!inGap) writer.scrape(t + rng.int(0, 250));
  }
  const text = writer.finish();
  const truth: GroundTruth = {
    scenario: opts.scenario, seed, startMs, endMs, intervalSeconds: intervalMs / 1000, noise,
    samples: writer.samplesWritten, scrapes: writer.scrapesWritten, series: writer.distinctSeries,
    ...(incident ? { incident } : {}),
    ...(opts.out !== undefined ? { file: opts.out } : { text }),
  };
  return truth;
}
