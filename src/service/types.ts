// The service's contract with the parts it drives. The service owns no detection or escalation logic:
// it feeds scraped samples to the detector's pure step, hands the events to the escalator, persists the
// detector's state, and answers HTTP. Each dependency is an interface so tests can inject fakes while
// production (src/service/wiring.ts) plugs in the real parts.
import type { LoadResult } from '../config/index.js';
import type { DetectorState, StepResult } from '../detect/types.js';
import type { AlertEvent, Sample, SampleBatch } from '../model/index.js';

export type { Escalator } from '../escalate/types.js';

/** Parses one scrape body; malformed lines are reported through `onMalformed` and skipped. */
export type ParseExposition = (
  text: string,
  options: { target: string; nowMs: number; onMalformed?: (problem: MalformedLine) => void },
) => Sample[];

/** What the ingest parser says about a line it skipped (a subset of src/ingest's MalformedLine). */
export interface MalformedLine {
  readonly line?: number;
  /** `target:line: reason`, ready to print. */
  readonly message?: string;
}

/** The detector as the service sees it: load a rule set, start a state, step it. `R` is opaque here. */
export interface DetectorPort<R> {
  loadRules(path: string): Promise<LoadResult<R>>;
  initialState(): DetectorState;
  step(rules: R, state: DetectorState, batch: SampleBatch): StepResult;
}

/** An alert the detector currently holds pending or firing, as /api/alerts shows it. */
export interface ServiceAlert {
  readonly id: string;
  readonly rule: string;
  readonly state: 'pending' | 'firing';
  readonly severity: AlertEvent['severity'];
  readonly labels: AlertEvent['labels'];
  readonly summary: string;
  readonly runbook?: string;
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
}
