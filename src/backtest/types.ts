// Contract of the backtest part: one recording streamed through the detector step, as `sentinel
// backtest` and tests drive it. Events go to the caller as they happen; nothing is kept per sample.
import type { AlertEvent, AlertExplain, SampleBatch } from '../model/index.js';
import type { MalformedLine } from '../ingest/index.js';

/** Batches from somewhere other than a file (a Prometheus): `open()` may be called twice (--report reads again). */
export interface BatchSource {
  /** What the report and messages call it (`http://prometheus:9090 2026-11-01..2026-11-29`). */
  readonly name: string;
  open(): AsyncIterable<SampleBatch>;
}

/** The detector's measure of one alert's series at an instant (value and band), for charts. */
export type MeasureAt = (rule: string, labels: Readonly<Record<string, string>>, nowMs: number) => { readonly value: number; readonly lower?: number; readonly upper?: number } | undefined;

export interface BacktestOptions {
  /** CSV input only: the metric name of its one series (default: the file's base name). */
  readonly metric?: string;
  /** Called with each batch's events (possibly none), in recorded time. */
  readonly onBatch?: (events: readonly AlertEvent[], batch: SampleBatch, measure: MeasureAt) => void | Promise<void>;
  readonly onMalformed?: (line: MalformedLine) => void;
  /** Whether the detector keeps its look-back of measures, which only charts drawn at page time ask
   *  about (the replay notifier's). Default true. */
  readonly measureHistory?: boolean;
  /** Called about once a second of wall time with how far the run is. */
  readonly onProgress?: (progress: BacktestProgress) => void;
}

export interface BacktestProgress {
  readonly samples: number;
  readonly batches: number;
  readonly atMs: number;
}

export interface BacktestSummary {
  readonly samples: number;
  readonly batches: number;
  readonly malformed: number;
  readonly firstMs: number;
  readonly lastMs: number;
  readonly events: number;
  readonly wallMs: number;
}

/** One alert from pending to resolved (or still open at the end of the recording). */
export interface Incident {
  readonly id: string;
  readonly rule: string;
  readonly severity: AlertEvent['severity'];
  readonly labels: Readonly<Record<string, string>>;
  readonly pendingAtMs: number;
  /** When it fired (undefined: it never did, pending only). */
  readonly firingAtMs?: number;
  /** When it resolved (undefined: still active when the recording ended). */
  readonly resolvedAtMs?: number;
  readonly peak: number;
  readonly summary: string;
  /** What the rule judged when it fired. */
  readonly explain?: AlertExplain;
}
