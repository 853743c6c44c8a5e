// The backtest driver: streams a recording into the detector, batch by batch, evaluating at the
// backtest's cadence (cadence.ts). Memory stays flat: the reader streams, the detector keeps bounded
// state per series, and events go straight out.
import { openDetector } from '../detect/index.js';
import type { AlertEvent } from '../model/index.js';
import { newReadStats, readRecording } from '../ingest/index.js';
import type { Rule } from '../rules/types.js';
import { BacktestCadence } from './cadence.js';
import type { BacktestOptions, BacktestSummary, BatchSource, MeasureAt } from './types.js';

export async function runBacktest(rules: readonly Rule[], dataFile: string | BatchSource, opts: BacktestOptions = {}): Promise<BacktestSummary> {
  const started = Date.now();
  const opened = openDetector(rules, undefined, { measureHistory: opts.measureHistory ?? true });
  const detector = new BacktestCadence(opened);
  const measure: MeasureAt = (rule, labels, nowMs) => opened.measure(rule, labels, nowMs);
  const stats = newReadStats();
  let events = 0;
  let samples = 0;
  let batches = 0;
  let firstMs = NaN;
  let lastMs = NaN;
  let nextProgress = started + 1000;
  const none: readonly AlertEvent[] = [];
  const source = typeof dataFile === 'string' ? readRecording(dataFile, { stats, onMalformed: opts.onMalformed, ...(opts.metric !== undefined ? { metric: opts.metric } : {}) }) : dataFile.open();
  for await (const batch of source) {
    if (batches === 0) firstMs = batch.atMs;
    lastMs = batch.atMs;
    batches++;
    samples += batch.samples.length;
    const out = detector.feed(batch);
    events += out.length;
    if (opts.onBatch) await opts.onBatch(out.length > 0 ? out : none, batch, measure);
    if (opts.onProgress && (batches & 63) === 0 && Date.now() >= nextProgress) {
      nextProgress = Date.now() + 1000;
      opts.onProgress({ samples, batches, atMs: batch.atMs });
    }
  }
  return { samples, batches, malformed: stats.malformed, firstMs, lastMs, events, wallMs: Date.now() - started };
}
