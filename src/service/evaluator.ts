// One evaluation: the detector stepped with the latest samples at the evaluation instant, its events
// handed to the escalator, then the detector's snapshot written to data_dir. The order is what makes a
// SIGKILL harmless: the escalator records an event (in its own store) before the detector's state that
// produced it is saved, so after a crash the worst case is the detector emitting the same transition
// again, which the escalator already knows and does not page twice. The opposite order could lose a page.
// A failed evaluation is not persisted; the transitions the escalator did not take are handed to it
// first at the next evaluation (and saved with the snapshot until then), so none is lost. The snapshot
// is saved incrementally (state-journal.ts): only what changed since the last evaluation is written.
import type { AlertChart, ResolvedChart } from '../escalate/chart-history.js';
import type { AlertEvent, Sample } from '../model/index.js';
import { ActiveAlerts } from './active-alerts.js';
import type { Logger } from './log.js';
import type { StateJournal } from './state-journal.js';
import type { ServiceMetrics } from './self-metrics.js';
import type { DetectorPort, Escalator, OpenDetector, ServiceSnapshot } from './types.js';

export const SNAPSHOT_KEY = 'service-state';
/** Samples the detector takes between two turns of the event loop. */
const INGEST_SLICE = 10_000;

export interface EvaluatorDeps<R> {
  readonly detector: DetectorPort<R>;
  readonly escalator: Escalator;
  readonly journal: StateJournal;
  readonly metrics: ServiceMetrics;
  readonly log: Logger;
}

/** What the scrape pool adds to an evaluation: targets failing now (their alerts are held, not resolved)
 *  and its own alerts' transitions (target_down), escalated like the detector's. */
export interface ScrapeFindings {
  readonly unreachableTargets?: ReadonlySet<string>;
  readonly events?: readonly AlertEvent[];
}

export class Evaluator<R> {
  #writeFailureLoggedAt = -Infinity;
  #writeFailuresUnlogged = 0;
  readonly #deps: EvaluatorDeps<R>;
  readonly #detector: OpenDetector<R>;
  readonly #alerts: ActiveAlerts;
  #undelivered: readonly AlertEvent[];
  /** When the restored state was saved; undefined on a fresh start. */
  restoredFromMs?: number;

  private constructor(deps: EvaluatorDeps<R>, detector: OpenDetector<R>, alerts: ActiveAlerts, undelivered: readonly AlertEvent[]) {
    this.#deps = deps;
    this.#detector = detector;
    this.#alerts = alerts;
    this.#undelivered = undelivered;
  }

  /** Picks up where the last run stopped: alerts, learned baselines, everything the detector keeps. */
  static async restore<R>(deps: EvaluatorDeps<R>, rules: R): Promise<Evaluator<R>> {
    const restored = await deps.journal.restore();
    if (restored.cut) deps.log.warn('state_journal_cut', { frames_applied: restored.frames, reason: restored.cut, fix: 'nothing to do: the state is as of the last intact frame (a crash loses at most the evaluation it interrupted)' });
    const saved = restored.snapshot;
    const snapshot = saved?.version === 1 && saved.detector ? saved : undefined;
    const evaluator = new Evaluator(deps, deps.detector.open(rules, snapshot?.detector), new ActiveAlerts(snapshot?.alerts ?? []), snapshot?.undelivered ?? []);
    evaluator.restoredFromMs = snapshot?.savedAtMs;
    if (snapshot) deps.log.info('state_restored', { saved_at: new Date(snapshot.savedAtMs).toISOString(), alerts: snapshot.alerts.length, journal_frames: restored.frames });
    else deps.log.info('state_fresh', { data_dir_key: SNAPSHOT_KEY });
    return evaluator;
  }

  get alerts(): ActiveAlerts {
    return this.#alerts;
  }

  /** The alert's chart to now when the detector draws one live; else the one its last transition carried. */
  chart(id: string): AlertChart | undefined {
    return this.#detector.chart?.(id) ?? this.#alerts.chart(id);
  }

  resolvedCharts(): readonly ResolvedChart[] {
    return this.#detector.resolvedCharts?.() ?? [];
  }

  /** Swap in a reloaded rule set; learned state carries over (the detector keys it by rule and series). */
  setRules(rules: R): void {
    this.#detector.setRules(rules);
  }

  /** Runs one evaluation at `nowMs`. If the detector or the escalator throws, nothing is persisted, the
   *  failure is counted, and it rethrows; the events not handed over go to the escalator next time. */
  async evaluate(nowMs: number, samples: readonly Sample[], scrape: ScrapeFindings = {}): Promise<readonly AlertEvent[]> {
    const { escalator, metrics, log } = this.#deps;
    const started = performance.now();
    let events: readonly AlertEvent[];
    // The scrape pool's transitions are decided already: kept as undelivered first, so a detector that
    // throws below cannot lose them (they go to the escalator with the next evaluation).
    if (scrape.events?.length) {
      for (const event of scrape.events) log.info('alert_transition', { alert: event.id, state: event.state, severity: event.severity, value: event.value });
      this.#undelivered = [...this.#undelivered, ...scrape.events];
    }
    try {
      const rest = await this.#ingestInSlices(nowMs, samples);
      const fresh = this.#detector.step({ atMs: nowMs, samples: rest, ...(scrape.unreachableTargets?.size ? { unreachableTargets: scrape.unreachableTargets } : {}) });
      for (const event of fresh) {
        log.info('alert_transition', { alert: event.id, state: event.state, severity: event.severity, value: event.value });
      }
      events = this.#undelivered.length > 0 ? [...this.#undelivered, ...fresh] : fresh;
      this.#undelivered = events;
      // The API shows what the detector and the scrape pool (target_down) hold as soon as they hold
      // it: a page may reach Slack while the escalator is still delivering the rest of these events.
      this.#alerts.apply(events);
      await escalator.handle(events, nowMs);
    } catch (error) {
      metrics.evaluationFailures.inc();
      log.error('evaluation_failed', { error: (error as Error).message });
      throw error;
    }
    this.#undelivered = [];
    metrics.evaluations.inc();
    metrics.evaluationDuration.observe({}, (performance.now() - started) / 1000);
    metrics.alerts.replaceAll(this.#alerts.countsByStateAndSeverity());
    await this.persist(nowMs);
    return events;
  }

  /** All but the last slice of a large batch into the detector, a turn of the event loop after each (the
   *  API answers meanwhile); returns the last slice, for the step. */
  async #ingestInSlices(nowMs: number, samples: readonly Sample[]): Promise<readonly Sample[]> {
    const detector = this.#detector;
    if (!detector.ingest || samples.length <= INGEST_SLICE) return samples;
    let start = 0;
    for (; start + INGEST_SLICE < samples.length; start += INGEST_SLICE) {
      detector.ingest({ atMs: nowMs, samples: samples.slice(start, start + INGEST_SLICE) });
      await new Promise((resolve) => setImmediate(resolve));
    }
    return samples.slice(start);
  }

  async persist(nowMs: number): Promise<void> {
    const snapshot: ServiceSnapshot = {
      version: 1,
      savedAtMs: nowMs,
      // No copy: it is serialised below, before anything can step the detector again (the service's lock).
      detector: this.#detector.snapshot({ copy: false }),
      alerts: this.#alerts.list(),
      ...(this.#undelivered.length > 0 ? { undelivered: this.#undelivered } : {}),
    };
    try {
      await this.#deps.journal.save(snapshot);
      this.#deps.metrics.stateBytesWritten.inc({}, this.#deps.journal.lastWriteBytes);
    } catch (error) {
      // Keep evaluating: a full disk must not stop the pages; the next write may succeed. Counted every
      // time, logged once a minute (a failing disk otherwise floods the log it may share).
      this.#deps.metrics.stateWriteFailures.inc();
      this.#writeFailuresUnlogged++;
      const at = performance.now();
      if (at - this.#writeFailureLoggedAt >= 60_000) {
        this.#deps.log.error('state_write_failed', { error: (error as Error).message, failures: this.#writeFailuresUnlogged });
        this.#writeFailureLoggedAt = at;
        this.#writeFailuresUnlogged = 0;
      }
    }
  }
}
