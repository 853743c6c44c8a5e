// One evaluation: the detector's pure step over the latest samples, its events handed to the escalator,
// then the detector's state written to data_dir. The order is what makes a SIGKILL harmless: the escalator
// records an event (in its own store) before the detector's state that produced it is saved, so after a
// crash the worst case is the detector emitting the same transition again, which the escalator already
// knows and does not page twice. The opposite order could lose a page.
import type { DetectorState } from '../detect/types.js';
import type { AlertEvent, Sample } from '../model/index.js';
import type { DurableStore } from '../store/index.js';
import { ActiveAlerts } from './activeAlerts.js';
import type { Logger } from './log.js';
import type { ServiceMetrics } from './selfMetrics.js';
import type { DetectorPort, Escalator, ServiceSnapshot } from './types.js';

export const SNAPSHOT_KEY = 'service-state';

export interface EvaluatorDeps<R> {
  readonly detector: DetectorPort<R>;
  readonly escalator: Escalator;
  readonly store: DurableStore;
  readonly metrics: ServiceMetrics;
  readonly log: Logger;
}

export class Evaluator<R> {
  readonly #deps: EvaluatorDeps<R>;
  #rules: R;
  #state: DetectorState;
  #alerts: ActiveAlerts;
  /** When the restored state was saved; undefined on a fresh start. */
  restoredFromMs?: number;

  private constructor(deps: EvaluatorDeps<R>, rules: R, state: DetectorState, alerts: ActiveAlerts) {
    this.#deps = deps;
    this.#rules = rules;
    this.#state = state;
    this.#alerts = alerts;
  }

  /** Picks up where the last run stopped: alerts, learned baselines, everything the step keeps. */
  static async restore<R>(deps: EvaluatorDeps<R>, rules: R): Promise<Evaluator<R>> {
    const evaluator = new Evaluator(deps, rules, deps.detector.initialState(), new ActiveAlerts());
    const snapshot = await evaluator.#loadSaved();
    evaluator.restoredFromMs = snapshot?.savedAtMs;
    if (snapshot) deps.log.info('state_restored', { saved_at: new Date(snapshot.savedAtMs).toISOString(), alerts: snapshot.alerts.length });
    else deps.log.info('state_fresh', { data_dir_key: SNAPSHOT_KEY });
    return evaluator;
  }

  /** Back to what is on disk (or a fresh state): after a failed evaluation, exactly what a restart would see.
   *  The detector's step consumes the state it is given, so a failed evaluation cannot simply keep it. */
  async #loadSaved(): Promise<ServiceSnapshot | undefined> {
    const snapshot = await this.#deps.store.read<ServiceSnapshot>(SNAPSHOT_KEY);
    const usable = snapshot?.version === 1 && snapshot.detector ? snapshot : undefined;
    this.#state = usable?.detector ?? this.#deps.detector.initialState();
    this.#alerts = new ActiveAlerts(usable?.alerts ?? []);
    return usable;
  }

  get alerts(): ActiveAlerts {
    return this.#alerts;
  }

  /** Swap in a reloaded rule set; learned state carries over (the detector keys it by rule and series). */
  setRules(rules: R): void {
    this.#rules = rules;
  }

  get state(): DetectorState {
    return this.#state;
  }

  /** Runs one evaluation at `nowMs`. If the detector or the escalator throws, the state rolls back to the
   *  last saved one (so the transition comes again next time), the failure is counted, and it rethrows. */
  async evaluate(nowMs: number, samples: readonly Sample[]): Promise<readonly AlertEvent[]> {
    const { detector, escalator, metrics, log } = this.#deps;
    const started = performance.now();
    let events: readonly AlertEvent[];
    let next: DetectorState;
    try {
      const result = detector.step(this.#rules, this.#state, { atMs: nowMs, samples });
      events = result.events;
      next = result.state;
      for (const event of events) {
        log.info('alert_transition', { alert: event.id, state: event.state, severity: event.severity, value: event.value });
      }
      await escalator.handle(events, nowMs);
    } catch (error) {
      metrics.evaluationFailures.inc();
      log.error('evaluation_failed', { error: (error as Error).message });
      await this.#loadSaved();
      throw error;
    }
    this.#state = next;
    this.#alerts.apply(events);
    metrics.evaluations.inc();
    metrics.evaluationDuration.observe({}, (performance.now() - started) / 1000);
    metrics.alerts.replaceAll(this.#alerts.countsByStateAndSeverity());
    await this.persist(nowMs);
    return events;
  }

  async persist(nowMs: number): Promise<void> {
    const snapshot: ServiceSnapshot = { version: 1, savedAtMs: nowMs, detector: this.#state, alerts: this.#alerts.list() };
    try {
      await this.#deps.store.write(SNAPSHOT_KEY, snapshot);
    } catch (error) {
      // Keep evaluating: a full disk must not stop the pages; the next write may succeed.
      this.#deps.metrics.stateWriteFailures.inc();
      this.#deps.log.error('state_write_failed', { error: (error as Error).message });
    }
  }
}
