// Streams a Prometheus' history into SampleBatches, one per evaluation step, in time order: the same
// shape readRecording yields, so the backtest driver consumes either unchanged. Time is cut into
// windows of at most `pointsPerQuery` steps (Prometheus refuses more than 11,000 points per series);
// each window asks /api/v1/query_range for every selector, a few windows in flight at once, and hands
// them out in order. A plain selector (no rate) returns the raw value at each step, which is what the
// detector wants from counters too. A window that fails twice is skipped and listed in
// `stats.unread`: a gap the run reports, never a silent one.
import { seriesId, type Labels, type Sample, type SampleBatch } from '../../model/index.js';
import { PrometheusError, prometheusApi, type PrometheusApi } from './http-client.js';
import type { PrometheusReadOptions, PrometheusReadStats, UnreadWindow } from './types.js';

/** Prometheus' own limit (`exceeded maximum resolution of 11,000 points per timeseries`). */
export const MAX_POINTS_PER_SERIES = 11_000;
const DEFAULT_POINTS = 720;
const DEFAULT_CONCURRENCY = 2;

export function newPrometheusReadStats(): PrometheusReadStats {
  return { queries: 0, samples: 0, series: 0, windowsDone: 0, windowsTotal: 0, unread: [], warnings: [] };
}

interface Window {
  readonly fromMs: number;
  readonly toMs: number;
}

/** Step-aligned windows covering [from, to]: the last instant of one is a step before the next's first. */
export function queryWindows(fromMs: number, toMs: number, stepMs: number, points: number): Window[] {
  const out: Window[] = [];
  const span = (points - 1) * stepMs;
  for (let start = fromMs; start <= toMs; start += span + stepMs) out.push({ fromMs: start, toMs: Math.min(start + span, toMs) });
  return out;
}

interface MatrixSeries {
  readonly metric: Record<string, string>;
  readonly values: ReadonlyArray<[number, string]>;
}

export async function* readPrometheus(opts: PrometheusReadOptions): AsyncGenerator<SampleBatch> {
  const points = Math.min(opts.pointsPerQuery ?? DEFAULT_POINTS, MAX_POINTS_PER_SERIES);
  if (!(opts.stepMs > 0)) throw new PrometheusError('--step must be a positive duration (e.g. 60s)', false);
  if (!(opts.toMs >= opts.fromMs)) throw new PrometheusError('--to must not be before --from', false);
  const api = prometheusApi(opts);
  const stats = opts.stats ?? newPrometheusReadStats();
  const windows = queryWindows(opts.fromMs, opts.toMs, opts.stepMs, points);
  stats.windowsTotal = windows.length;
  // One cheap query first: a Prometheus that is down or refuses us fails the run at once, by name.
  await api.post('/api/v1/query', { query: 'vector(1)' }, `reaching Prometheus at ${opts.url}`);
  const identities = new Map<string, { name: string; labels: Labels; series: string }>();
  const concurrency = Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY);
  const inFlight: Array<Promise<SampleBatch[]>> = [];
  let next = 0;
  const launch = (): void => {
    if (next < windows.length) inFlight.push(readWindow(api, windows[next++]!, opts, stats, identities));
  };
  for (let i = 0; i < concurrency; i++) launch();
  while (inFlight.length > 0) {
    const batches = await inFlight.shift()!;
    launch();
    stats.windowsDone++;
    for (const b of batches) {
      stats.samples += b.samples.length;
      yield b;
    }
  }
  stats.series = identities.size;
}

async function readWindow(api: PrometheusApi, w: Window, opts: PrometheusReadOptions, stats: PrometheusReadStats, identities: Map<string, { name: string; labels: Labels; series: string }>): Promise<SampleBatch[]> {
  // Every answer sits on the window's step grid: one slot per step, no map or sort per point.
  const steps = Math.round((w.toMs - w.fromMs) / opts.stepMs) + 1;
  const slots: Sample[][] = Array.from({ length: steps }, () => []);
  const results = await Promise.all(opts.selectors.map((query) => queryWithRetry(api, query, w, opts.stepMs, stats)));
  for (const result of results) {
    if (!result) continue;
    for (const s of result) {
      const key = JSON.stringify(s.metric);
      let id = identities.get(key);
      if (!id) {
        const { __name__: name = '', ...rest } = s.metric;
        const labels: Record<string, string> = {};
        for (const k of Object.keys(rest).sort()) if (rest[k] !== '') labels[k] = rest[k]!;
        id = { name, labels: Object.freeze(labels), series: seriesId(name, labels) };
        identities.set(key, id);
      }
      const { name, labels, series } = id;
      for (const [t, v] of s.values) {
        const atMs = Math.round(t * 1000);
        const slot = Math.round((atMs - w.fromMs) / opts.stepMs);
        if (slot < 0 || slot >= steps) continue;
        slots[slot]!.push({ name, labels, series, value: promValue(v), timestampMs: atMs });
      }
    }
  }
  const out: SampleBatch[] = [];
  for (let i = 0; i < steps; i++) if (slots[i]!.length > 0) out.push({ atMs: w.fromMs + i * opts.stepMs, samples: slots[i]! });
  return out;
}

async function queryWithRetry(api: PrometheusApi, query: string, w: Window, stepMs: number, stats: PrometheusReadStats): Promise<MatrixSeries[] | undefined> {
  const what = `query_range ${query} from ${iso(w.fromMs)} to ${iso(w.toMs)}`;
  const form = { query, start: String(w.fromMs / 1000), end: String(w.toMs / 1000), step: String(stepMs / 1000) };
  let lastError: PrometheusError | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      stats.queries++;
      const { data, warnings } = await api.post('/api/v1/query_range', form, what);
      for (const w2 of warnings) stats.warnings.push(`${what}: ${w2}`);
      const d = data as { resultType?: string; result?: MatrixSeries[] };
      if (d.resultType !== 'matrix' || !Array.isArray(d.result)) throw new PrometheusError(`${what}: expected a matrix, got ${String(d.resultType)}`, false);
      return d.result;
    } catch (error) {
      lastError = error instanceof PrometheusError ? error : new PrometheusError(`${what}: ${(error as Error).message}`, true);
      if (!lastError.retryable) break;
    }
  }
  const unread: UnreadWindow = { fromMs: w.fromMs, toMs: w.toMs, query, reason: lastError!.message };
  stats.unread.push(unread);
  return undefined;
}

/** Prometheus writes values as strings, with Go's spellings of the infinities. */
export function promValue(v: string): number {
  if (v === '+Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  return Number(v);
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
