// The service's contract with the parts it drives. The service owns no detection or escalation logic:
// it steps the detector with the scraped samples at every evaluation_interval, hands the events to the
// escalator, persists the detector's snapshot, and answers HTTP. Each dependency is an interface so tests can inject fakes while
// production (src/service/wiring.ts) plugs in the real parts.
import type { LoadResult } from '../config/index.js';
import type { DetectorState } from '../detect/types.js';
import type { AlertChart, ResolvedChart } from '../escalate/chart-history.js';
import type { AlertEvent, Sample, SampleBatch } from '../model/index.js';

export type { Escalator } from '../escalate/types.js';

/** Parses one scrape body; malformed lines are reported through `onMalformed` and skipped. */
export type ParseExposition = (
  text: string,
  // interner: kept across a target's scrapes, so known series are found by their text (ingest's SeriesInterner).
  options: { target: string; nowMs: number; onMalformed?: (problem: MalformedLine) => void; interner?: { readonly size: number }; firstLine?: number },
) => Sample[];

/** What the ingest parser says about a line it skipped (a subset of src/ingest's MalformedLine). */
export interface MalformedLine {
  readonly line?: number;
  /** `target:line: reason`, ready to print. */
  readonly message?: string;
}

/** The detector as the service sees it: load a rule set, open a detector on it (from a saved snapshot,
 *  or fresh). `R` is opaque here. */
export interface DetectorPort<R> {
  loadRules(path: string): Promise<LoadResult<R>>;
  open(rules: R, snapshot?: DetectorState): OpenDetector<R>;
}

/** One detector holding its baselines and alerts: stepped once per evaluation, at the batch's atMs. */
export interface OpenDetector<R> {
  step(batch: SampleBatch): readonly AlertEvent[];
  /** Takes samples without evaluating: lets the evaluator feed a large batch in slices. Optional. */
  ingest?(batch: SampleBatch): void;
  /** Plain JSON, persisted after every evaluation that succeeded. */
  snapshot(options?: { copy?: boolean }): DetectorState;
  /** A reloaded rule set; what the rules that stay learned is kept. */
  setRules(rules: R): void;
  /** The alert's chart as it stands now (to the last evaluation), for the console. Optional. */
  chart?(id: string): AlertChart | undefined;
  /** Alerts resolved in the last minutes, with their charts (to the resolve and a margin after). Optional. */
  resolvedCharts?(): readonly ResolvedChart[];
}

/** An alert the detector currently holds pending or firing, as /api/alerts shows it. */
export interface ServiceAlert {
  readonly id: string;
  readonly rule: string;
  /** The rule's name again, under Alertmanager's word, so amtool and `alertname=` matchers work. */
  readonly alertname: string;
  readonly state: 'pending' | 'firing';
  readonly severity: AlertEvent['severity'];
  readonly labels: AlertEvent['labels'];
  readonly summary: string;
  readonly runbook?: string;
  /** The rule's kind, when the driver attached it (how the console words the value). */
  readonly kind?: string;
  /** What the detector judged at the last transition (window, counts, normal, exit level). */
  readonly explain?: AlertEvent['explain'];
  readonly value: number;
  readonly activeSince: string;
  readonly lastTransition: string;
}

/** What the service writes to data_dir after every evaluation, as one atomic document. The escalator
 *  keeps its own documents (silences, notification log, outbox) in the same store. */
export interface ServiceSnapshot {
  readonly version: 1;
  readonly savedAtMs: number;
  readonly detector: DetectorState;
  readonly alerts: readonly ServiceAlert[];
  /** Transitions the escalator has not taken yet (its last evaluation failed): handed to it first next time. */
  readonly undelivered?: readonly AlertEvent[];
}
