// When the backtest evaluates: at the first batch of a recording, then at the first batch at least
// 50 s of recorded time after the last evaluation. A 60 s or 30 s scrape is judged at every batch
// or every other one, a 15 s scrape once a minute (every 4th batch); batches in between only feed
// samples. The service instead evaluates at its `evaluation_interval` (src/service).

import type { AlertEvent, SampleBatch } from '../model/index.js';
import type { Detector } from '../detect/index.js';

export const BACKTEST_EVALUATION_INTERVAL_MS = 50_000;

const NONE: readonly AlertEvent[] = [];

/** A detector driven at the backtest's cadence: feed() takes every batch, evaluates when one is due. */
export class BacktestCadence {
  #lastEvaluatedMs = 0;

  constructor(
    private readonly detector: Detector,
    private readonly intervalMs = BACKTEST_EVALUATION_INTERVAL_MS,
  ) {}

  feed(batch: SampleBatch): readonly AlertEvent[] {
    if (batch.atMs - this.#lastEvaluatedMs < this.intervalMs) {
      this.detector.ingest(batch);
      return NONE;
    }
    this.#lastEvaluatedMs = batch.atMs;
    return this.detector.step(batch);
  }
}
