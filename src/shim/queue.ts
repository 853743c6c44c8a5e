// Queue instrumentation, after the Elation sync design: events are split into per-resource virtual
// queues (one patient's events run in order, one at a time, and a stuck patient blocks no one else);
// a failure is retried up to 5 times with backoff unless it is non-retryable. `trackQueue` is the
// counting half for services that run their own queue; `instrumentQueue` is a runnable queue built
// on it.
import type { Attributes } from '@opentelemetry/api';
import { ensureBound, newQueueSeries, setGaugeSource, type CountSeries } from './instruments.js';
import { statusOf } from './outcome.js';
import { checkName } from './partner.js';
import { slot, slotKey } from './registry.js';
import { OTHER, QUEUE_OUTCOMES, type QueueOutcome } from './types.js';

const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/;
const MAX_EVENT_TYPES = 50;

/** A pending event as the tracker knows it: its type and when it was enqueued. */
export interface TrackedEvent {
  readonly eventType: string;
  readonly enqueuedAt: number;
}

export interface QueueTracker {
  readonly queue: string;
  enqueued(eventType: string): TrackedEvent;
  retried(event: TrackedEvent): void;
  processed(event: TrackedEvent): void;
  failed(event: TrackedEvent): void;
  pending(): number;
  oldestAgeSeconds(): number;
  /** Forgets pending events: the gauges read 0 from now on (the SDK keeps exporting a series once
   * seen, so a closed queue must not be left showing its last backlog). */
  close(): void;
}

/** A queue's counters by event type, shared by every tracker of that queue name so no series is
 * exported twice. */
export type QueueCounts = Map<string, Record<QueueOutcome, CountSeries>>;
const QUEUES = slotKey('queues', () => new Map<string, QueueCounts>());

/** The counters of a queue by event type, shared by every tracker of that queue name; past
 * MAX_EVENT_TYPES types (or for a type that is not a plain name) they count as `other`. */
export function queueCounter(queue: string): (eventType: string) => Record<QueueOutcome, CountSeries> {
  const queues = slot(QUEUES);
  let counts = queues.get(queue);
  if (!counts) queues.set(queue, (counts = new Map()));
  const c = counts;
  return (eventType) => {
    let s = c.get(eventType);
    if (!s) {
      const type = EVENT_TYPE.test(eventType) && c.size < MAX_EVENT_TYPES ? eventType : OTHER;
      s = c.get(type);
      if (!s) {
        s = {} as Record<QueueOutcome, CountSeries>;
        for (const outcome of QUEUE_OUTCOMES) s[outcome] = newQueueSeries({ queue, event_type: type, outcome });
        c.set(type, s);
      }
    }
    return s;
  };
}

/** Counts enqueued/processed/retried/failed per event type and reports pending count and oldest age.
 * A second tracker for the same queue name adds to the same counters and takes over its gauges. */
export function trackQueue(queue: string, options: { now?: () => number } = {}): QueueTracker {
  checkName('queue', queue);
  ensureBound();
  const now = options.now ?? Date.now;
  // A Set iterates in insertion order and keeps it through deletions: the first element is the oldest.
  const pendingEvents = new Set<TrackedEvent>();

  const seriesFor = queueCounter(queue);
  const gaugeAttrs: Attributes = { queue };
  const tracker: QueueTracker = {
    queue,
    enqueued(eventType) {
      const event = { eventType, enqueuedAt: now() };
      seriesFor(eventType).enqueued.count++;
      pendingEvents.add(event);
      return event;
    },
    retried(event) {
      seriesFor(event.eventType).retried.count++;
    },
    processed(event) {
      if (pendingEvents.delete(event)) seriesFor(event.eventType).processed.count++;
    },
    failed(event) {
      if (pendingEvents.delete(event)) seriesFor(event.eventType).failed.count++;
    },
    pending: () => pendingEvents.size,
    oldestAgeSeconds() {
      for (const first of pendingEvents) return Math.max(0, (now() - first.enqueuedAt) / 1000);
      return 0;
    },
    close: () => pendingEvents.clear(),
  };
  setGaugeSource(queue, { attrs: gaugeAttrs, read: () => ({ pending: tracker.pending(), oldestAgeSeconds: tracker.oldestAgeSeconds() }) });
  return tracker;
}

/** Throw (or reject with) this to fail an event without retrying it. */
export class NonRetryableError extends Error {
  override name = 'NonRetryableError';
  readonly retryable = false;
}

/** Default: retry unless the error says otherwise, or is an HTTP 4xx other than 408/429. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof NonRetryableError) return false;
  if (error && typeof error === 'object' && (error as { retryable?: unknown }).retryable === false) return false;
  const status = statusOf(error);
  return !(status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429);
}

export interface QueueOptions<E> {
  /** The `event_type` label of an event (bounded: 50 distinct types, then `other`). */
  eventType?: (event: E) => string;
  /** The virtual queue an event belongs to, e.g. the patient's resource id (never a label). */
  resourceKey?: (event: E) => string;
  /** Retries after the first attempt (default 5). */
  maxRetries?: number;
  /** Delay before retry n (1-based); default 1 s, 2 s, 4 s... capped at 60 s. */
  backoffMs?: (retry: number) => number;
  isRetryable?: (error: unknown) => boolean;
  now?: () => number;
}

export interface InstrumentedQueue<E> {
  readonly tracker: QueueTracker;
  push(event: E): void;
  /** Resolves when every pushed event has been processed or has failed for good. */
  drain(): Promise<void>;
  /** Cancels pending retries; events still pending are dropped and the gauges read 0. */
  close(): void;
}

/** A runnable queue: `handler` is called per event, per-resource lanes in order, with retries. */
export function instrumentQueue<E>(queue: string, handler: (event: E) => unknown, options: QueueOptions<E> = {}): InstrumentedQueue<E> {
  const tracker = trackQueue(queue, { now: options.now });
  const eventType = options.eventType ?? (() => 'event');
  const resourceKey = options.resourceKey ?? (() => '');
  const maxRetries = options.maxRetries ?? 5;
  const backoffMs = options.backoffMs ?? ((n: number) => Math.min(60_000, 1000 * 2 ** (n - 1)));
  const retryable = options.isRetryable ?? isRetryable;
  const lanes = new Map<string, { event: E; tracked: TrackedEvent }[]>();
  const timers = new Set<NodeJS.Timeout>();
  let idleWaiters: (() => void)[] = [];
  let closed = false;

  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => { timers.delete(t); resolve(); }, ms);
      timers.add(t);
    });

  async function attempt(item: { event: E; tracked: TrackedEvent }): Promise<void> {
    for (let retry = 0; !closed; retry++) {
      try {
        await handler(item.event);
        tracker.processed(item.tracked);
        return;
      } catch (error) {
        if (retry >= maxRetries || !retryable(error)) {
          tracker.failed(item.tracked);
          return;
        }
        tracker.retried(item.tracked);
        await delay(backoffMs(retry + 1));
      }
    }
  }

  async function runLane(key: string, lane: { event: E; tracked: TrackedEvent }[]): Promise<void> {
    while (lane.length > 0 && !closed) {
      await attempt(lane[0]!);
      lane.shift();
    }
    lanes.delete(key);
    if (lanes.size === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  return {
    tracker,
    push(event) {
      if (closed) throw new Error(`queue "${queue}" is closed`);
      const item = { event, tracked: tracker.enqueued(eventType(event)) };
      const key = resourceKey(event);
      const lane = lanes.get(key);
      if (lane) lane.push(item);
      else {
        const fresh = [item];
        lanes.set(key, fresh);
        void runLane(key, fresh);
      }
    },
    drain: () => (lanes.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))),
    close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      tracker.close();
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    },
  };
}
