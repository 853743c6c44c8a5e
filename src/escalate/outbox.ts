// The outbox: every notification is written down (persisted) before a delivery is attempted and stays
// until delivered. Entries of one integration go out strictly in order, so after an outage the channel
// receives everything in the order it happened; a failed head waits (backoff, or the receiver's
// Retry-After) and holds back what follows.
import type { EscalationState, OutboxEntry } from './state.js';
import type { ReceiverCounters } from './types.js';

export type DeliveryOutcome =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly error: string;
      /** The receiver said when to come back (Slack 429 Retry-After). */
      readonly retryAfterMs?: number;
      /** Retrying cannot help (unknown channel, mailbox rejected): drop the entry and count it failed. */
      readonly permanent?: boolean;
      /** The request may have reached the receiver (timeout, connection reset): check before resending. */
      readonly uncertain?: boolean;
    };

export interface DeliveryContext {
  readonly state: EscalationState;
  readonly nowMs: number;
  /** Entries queued after this one on the same integration (lets Slack skip superseded updates). */
  readonly later: readonly OutboxEntry[];
  /** Persist progress (a posted message's ts, a part done) before going on. */
  checkpoint(): Promise<void>;
}

export interface Sender {
  deliver(entry: OutboxEntry, ctx: DeliveryContext): Promise<DeliveryOutcome>;
  close?(): Promise<void>;
}

export const BACKOFF_BASE_MS = 10_000;
export const BACKOFF_MAX_MS = 5 * 60_000;

/** 10s, 20s, 40s ... capped at 5 minutes: after a 30-minute outage everything lands within 5 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

/** Entries whose attempt was cut short by a crash: their outcome is unknown. Call once at startup. */
export function markInterrupted(state: EscalationState): void {
  for (const entry of state.outbox) {
    if (entry.inFlightSinceMs !== undefined) {
      entry.inFlightSinceMs = undefined;
      entry.uncertain = true;
    }
  }
}

export interface DrainOptions {
  readonly state: EscalationState;
  readonly nowMs: number;
  senderFor(entry: OutboxEntry): Sender | undefined;
  persist(): Promise<void>;
  readonly counters: Record<string, ReceiverCounters>;
  readonly log: (line: string) => void;
}

export async function drainOutbox(options: DrainOptions): Promise<void> {
  const { state, nowMs } = options;
  const queues = new Map<string, OutboxEntry[]>();
  for (const entry of state.outbox) {
    const queue = queues.get(entry.integration) ?? [];
    queue.push(entry);
    queues.set(entry.integration, queue);
  }
  await Promise.all([...queues.values()].map((queue) => drainQueue(queue, options)));
  refreshPending(state, options.counters);
}

async function drainQueue(queue: readonly OutboxEntry[], options: DrainOptions): Promise<void> {
  const { state, nowMs } = options;
  for (let i = 0; i < queue.length; i++) {
    const entry = queue[i]!;
    if (entry.nextAttemptAtMs > nowMs) return;
    const sender = options.senderFor(entry);
    const counters = (options.counters[entry.receiver] ??= { sent: 0, failed: 0, pending: 0 });
    if (!sender) {
      // The receiver left the policy on reload: nobody to deliver to.
      options.log(`escalation: dropping notification ${entry.id}: receiver ${entry.receiver} (${entry.integration}) is no longer configured`);
      remove(state, entry);
      counters.failed++;
      continue;
    }
    entry.attempts++;
    entry.inFlightSinceMs = nowMs;
    await options.persist();
    let outcome: DeliveryOutcome;
    try {
      outcome = await sender.deliver(entry, { state, nowMs, later: queue.slice(i + 1), checkpoint: options.persist });
    } catch (error) {
      outcome = { ok: false, error: (error as Error).message, uncertain: true };
    }
    entry.inFlightSinceMs = undefined;
    if (outcome.ok) {
      remove(state, entry);
      counters.sent++;
      await options.persist();
      continue;
    }
    counters.failed++;
    entry.lastError = outcome.error;
    if (outcome.uncertain) entry.uncertain = true;
    if (outcome.permanent) {
      options.log(`escalation: giving up on notification ${entry.id} to ${entry.integration}: ${outcome.error}`);
      remove(state, entry);
      await options.persist();
      continue;
    }
    entry.nextAttemptAtMs = nowMs + (outcome.retryAfterMs ?? backoffMs(entry.attempts));
    options.log(`escalation: notification ${entry.id} to ${entry.integration} failed (attempt ${entry.attempts}, next in ${Math.round((entry.nextAttemptAtMs - nowMs) / 1000)}s): ${outcome.error}`);
    await options.persist();
    return;
  }
}

function remove(state: EscalationState, entry: OutboxEntry): void {
  const index = state.outbox.indexOf(entry);
  if (index >= 0) state.outbox.splice(index, 1);
}

export function refreshPending(state: EscalationState, counters: Record<string, ReceiverCounters>): void {
  for (const c of Object.values(counters)) c.pending = 0;
  for (const entry of state.outbox) (counters[entry.receiver] ??= { sent: 0, failed: 0, pending: 0 }).pending++;
}
