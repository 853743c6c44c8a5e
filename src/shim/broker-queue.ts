// trackBrokerQueue: a queue that lives in a broker (BullMQ on Redis, pg-boss on PostgreSQL), seen
// from any number of processes. The pending count and the oldest waiting job's age come from the
// broker itself at each collection (its own counts, its oldest job's timestamp), so they are true
// across processes and restarts: a producer-only process shows the backlog a remote worker really
// left, and a restarted one the jobs still waiting. The event counters are this process's own.
import type { Attributes } from '@opentelemetry/api';
import { ensureBound, setGaugeSource } from './instruments.js';
import { checkName } from './partner.js';
import { queueCounter } from './queue.js';
import type { QueueOutcome } from './types.js';

/** What the broker says at collection time. */
export interface BrokerReading {
  /** Jobs waiting or running (BullMQ: waiting + active + delayed + prioritized). */
  pending: number;
  /** When the oldest of them was enqueued (ms since the epoch), or undefined when none is. */
  oldestEnqueuedAt?: number | undefined;
}

export interface BrokerQueueOptions {
  /** Asked at each collection; a rejection or a read over 2 s leaves the gauges without a sample. */
  read: () => BrokerReading | Promise<BrokerReading>;
  now?: () => number;
}

export interface BrokerQueueTracker {
  readonly queue: string;
  /** Counts one event of this type (bounded: 50 types per queue, then `other`). */
  count(outcome: QueueOutcome, eventType: string): void;
  /** Stops reading the broker; the gauges read 0 from now on. */
  close(): void;
}

export function trackBrokerQueue(queue: string, options: BrokerQueueOptions): BrokerQueueTracker {
  checkName('queue', queue);
  if (typeof options?.read !== 'function') {
    throw new TypeError(`trackBrokerQueue("${queue}"): options.read must be a function returning the broker's { pending, oldestEnqueuedAt }, e.g. from BullMQ's queue.getJobCounts()`);
  }
  ensureBound();
  const now = options.now ?? Date.now;
  const counter = queueCounter(queue);
  const attrs: Attributes = { queue };
  let closed = false;
  setGaugeSource(queue, {
    attrs,
    async read() {
      if (closed) return { pending: 0, oldestAgeSeconds: 0 };
      const { pending, oldestEnqueuedAt } = await options.read();
      const age = oldestEnqueuedAt === undefined || pending === 0 ? 0 : Math.max(0, (now() - oldestEnqueuedAt) / 1000);
      return { pending, oldestAgeSeconds: age };
    },
  });
  return {
    queue,
    count: (outcome, eventType) => { counter(eventType)[outcome].count++; },
    close: () => { closed = true; },
  };
}
