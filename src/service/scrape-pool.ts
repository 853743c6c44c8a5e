// All targets, each on its own timer: a slow or dead target only ever delays itself. The pool keeps
// each target's latest successful scrape until the evaluation takes it, and the status /api/targets shows.
import type { AlertEvent, Sample } from '../model/index.js';
import type { TargetConfig } from './config.js';
import type { Logger } from './log.js';
import { scrapeTarget, type ScrapeDeps, type ScrapeOutcome } from './scrape.js';
import { SAMPLE_REJECTIONS, TargetMemory } from './scrape-admission.js';
import type { ServiceMetrics } from './self-metrics.js';
import { TargetDownWatch } from './target-down.js';
import type { ServiceAlert } from './types.js';

export interface TargetStatus {
  readonly name: string;
  readonly url: string;
  readonly health: 'up' | 'down' | 'unknown';
  readonly lastScrape?: string;
  readonly lastDurationMs?: number;
  readonly lastError?: string;
  readonly lastErrorReason?: string;
  readonly samples?: number;
  readonly malformedLines?: number;
  /** Samples of the last scrape turned away, by reason (duplicate, non_finite, too_old, too_far_ahead). */
  readonly rejectedSamples?: Readonly<Record<string, number>>;
}

interface TargetSlot {
  config: TargetConfig;
  timer?: NodeJS.Timeout;
  inFlight?: Promise<void>;
  /** Samples of the last successful scrape not yet given to an evaluation. */
  fresh?: readonly Sample[];
  status: TargetStatus;
  memory: TargetMemory;
}

export class ScrapePool {
  readonly #deps: ScrapeDeps;
  readonly #metrics: ServiceMetrics;
  readonly #log: Logger;
  readonly #slots = new Map<string, TargetSlot>();
  readonly #down = new TargetDownWatch();
  #stop = new AbortController();
  #running = false;

  constructor(targets: readonly TargetConfig[], deps: ScrapeDeps, metrics: ServiceMetrics, log: Logger) {
    this.#deps = deps;
    this.#metrics = metrics;
    this.#log = log;
    this.setTargets(targets);
  }

  /** Starts each target's loop: first scrape now, then every interval. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#stop = new AbortController();
    for (const slot of this.#slots.values()) this.#schedule(slot, 0);
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#stop.abort();
    for (const slot of this.#slots.values()) clearTimeout(slot.timer);
    await Promise.allSettled([...this.#slots.values()].map((s) => s.inFlight));
  }

  /** Reload: keep what is unchanged (its fresh samples and status), start new targets, drop removed ones. */
  setTargets(targets: readonly TargetConfig[]): void {
    const wanted = new Map(targets.map((t) => [t.name, t]));
    this.#down.setTargets(targets);
    for (const [name, slot] of this.#slots) {
      const next = wanted.get(name);
      if (!next || JSON.stringify(next) !== JSON.stringify(slot.config)) {
        clearTimeout(slot.timer);
        this.#slots.delete(name);
        this.#metrics.targetUp.delete({ target: name });
        this.#metrics.scrapeSamples.delete({ target: name });
      }
    }
    for (const target of targets) {
      if (this.#slots.has(target.name)) continue;
      const slot: TargetSlot = { config: target, status: { name: target.name, url: target.url, health: 'unknown' }, memory: new TargetMemory() };
      this.#slots.set(target.name, slot);
      if (this.#running) this.#schedule(slot, 0);
    }
  }

  /** Scrapes every target once, now, and waits: for tests and for a first evaluation at start-up. */
  async scrapeAll(): Promise<void> {
    await Promise.all([...this.#slots.values()].map((slot) => this.#scrape(slot)));
  }

  /** The samples scraped since the last call, from every target that answered; each scrape is given once,
   *  so the detector never sees the same counter value twice as if no time had passed. */
  takeFresh(): Sample[] {
    const samples: Sample[] = [];
    for (const slot of this.#slots.values()) {
      if (!slot.fresh) continue;
      for (const sample of slot.fresh) samples.push(sample);
      slot.fresh = undefined;
    }
    return samples;
  }

  /** Targets failing now: the detector holds (does not resolve) the alerts their series fed. */
  unreachable(): Set<string> {
    return this.#down.unreachable();
  }

  /** target_down transitions due at `nowMs`, for the evaluation to hand to the escalator with the detector's. */
  downTransitions(nowMs: number): AlertEvent[] {
    return this.#down.transitions(nowMs);
  }

  /** After a restart: the target_down alerts that were firing. */
  restoreDown(alerts: readonly ServiceAlert[]): void {
    this.#down.restore(alerts);
  }

  statuses(): TargetStatus[] {
    return [...this.#slots.values()].map((s) => s.status);
  }

  #schedule(slot: TargetSlot, delayMs: number): void {
    slot.timer = setTimeout(() => {
      const started = this.#deps.now();
      slot.inFlight = this.#scrape(slot).finally(() => {
        slot.inFlight = undefined;
        if (!this.#running || this.#slots.get(slot.config.name) !== slot) return;
        const next = Math.max(0, slot.config.intervalMs - (this.#deps.now() - started));
        this.#schedule(slot, next);
      });
    }, this.#deps.realDelay ? this.#deps.realDelay(delayMs) : delayMs);
    slot.timer.unref?.();
  }

  async #scrape(slot: TargetSlot): Promise<void> {
    const { name } = slot.config;
    let outcome: ScrapeOutcome;
    try {
      outcome = await scrapeTarget(slot.config, this.#deps, this.#stop.signal, slot.memory);
    } catch (error) {
      // A parser bug must not kill the loop; report it as garbage from this target.
      outcome = { ok: false, reason: 'garbage', detail: `parser threw: ${(error as Error).message}`, malformedLines: 0, durationMs: 0 };
    }
    if (this.#stop.signal.aborted && !this.#running) return;
    this.#record(slot, outcome);
    if (this.#slots.get(name) !== slot) return;
    if (outcome.ok) slot.fresh = outcome.samples;
  }

  #record(slot: TargetSlot, outcome: ScrapeOutcome): void {
    const target = slot.config.name;
    const at = new Date(this.#deps.now()).toISOString();
    this.#metrics.scrapes.inc({ target });
    this.#metrics.scrapeDuration.observe({ target }, outcome.durationMs / 1000);
    if (outcome.malformedLines > 0) this.#metrics.malformedLines.inc({ target }, outcome.malformedLines);
    this.#down.scraped(target, outcome.ok, this.#deps.now(), outcome.ok ? undefined : outcome.reason);
    const rejected = outcome.rejected;
    if (rejected) for (const reason of SAMPLE_REJECTIONS) if (rejected[reason] > 0) this.#metrics.samplesRejected.inc({ target, reason }, rejected[reason]);
    const rejectedBefore = JSON.stringify(slot.status.rejectedSamples ?? {});
    const rejectedNow = rejected ? Object.fromEntries(Object.entries(rejected).filter(([, n]) => n > 0)) : undefined;
    // Said when it changes, not at every scrape: the counter has the running total.
    if (rejectedNow && JSON.stringify(rejectedNow) !== rejectedBefore) this.#log.warn('scrape_samples_rejected', { target, ...rejectedNow });
    const wasUp = slot.status.health;
    const malformedBefore = slot.status.malformedLines ?? 0;
    if (outcome.ok) {
      this.#metrics.targetUp.set({ target }, 1);
      this.#metrics.scrapeSamples.set({ target }, outcome.samples.length);
      slot.status = { name: target, url: slot.config.url, health: 'up', lastScrape: at, lastDurationMs: round(outcome.durationMs), samples: outcome.samples.length, malformedLines: outcome.malformedLines, ...(rejectedNow ? { rejectedSamples: rejectedNow } : {}) };
      if (wasUp === 'down') this.#log.info('scrape_recovered', { target });
      // Said when it changes, not at every scrape: the counter has the running total.
      if (outcome.malformedLines !== malformedBefore && outcome.malformedLines > 0) {
        this.#log.warn('scrape_malformed_lines', { target, lines: outcome.malformedLines });
      }
    } else {
      this.#metrics.targetUp.set({ target }, 0);
      this.#metrics.scrapeFailures.inc({ target, reason: outcome.reason });
      const sameAsBefore = wasUp === 'down' && slot.status.lastErrorReason === outcome.reason;
      slot.status = { name: target, url: slot.config.url, health: 'down', lastScrape: at, lastDurationMs: round(outcome.durationMs), lastError: outcome.detail, lastErrorReason: outcome.reason, ...(rejectedNow ? { rejectedSamples: rejectedNow } : {}) };
      // Once per outage (and when its reason changes), not at every scrape: the counter has the rest.
      if (!sameAsBefore) this.#log.warn('scrape_failed', { target, reason: outcome.reason, detail: outcome.detail });
    }
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
