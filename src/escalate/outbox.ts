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
      /** E-mail: the whole message went out and the server's reply was lost, so it may have arrived. */
      readonly afterData?: boolean;
    };

export interface DeliveryContext {
  readonly state: EscalationState;
  readonly nowMs: number;
  /** Entries queued after this one on the same integration (lets Slack skip superseded updates). */
  readonly later: readonly OutboxEntry[];
  /** Persist progress (a posted message's ts, a part done) before going on. */
  checkpoint(): Promise<void>;
  /** Aborted at the attempt's deadline: a sender stops there (its connections closed, no later call
   *  made), so nothing of an abandoned attempt lands after the outbox has counted it failed. */
  readonly signal?: AbortSignal;
}

export interface Sender {
  deliver(entry: OutboxEntry, ctx: DeliveryContext): Promise<DeliveryOutcome>;
  close?(): Promise<void>;
}

/** How many lost replies after the end of DATA an e-mail may see before we stop resending it. */
export const MAX_UNCONFIRMED = 2;

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
      // Killed after the end of DATA: the mail may have arrived, as after a lost reply. Before it,
      // nothing can have been delivered and the resend is safe.
      if (entry.dataSentAtMs !== undefined) entry.unconfirmed = (entry.unconfirmed ?? 0) + 1;
      entry.dataSentAtMs = undefined;
    }
  }
}

export interface DrainOptions {
  /** Read at every step: the runner may swap in a newer state while a delivery is in flight. */
  readonly state: EscalationState;
  /** Read at every step too: a lane that runs long picks up the time of the latest tick. */
  readonly nowMs: number;
  senderFor(entry: OutboxEntry): Sender | undefined;
  /** Persist progress; never throws (a failing disk must not stop a page). */
  persist(): Promise<void>;
  readonly counters: Record<string, ReceiverCounters>;
  readonly log: (line: string) => void;
  /** Hard deadline of one delivery attempt, whatever the receiver does (real milliseconds). */
  readonly attemptDeadlineMs?: number;
  /** A notification dropped for good (permanent failure or receiver gone), with the reason. */
  onUndeliverable?(entry: OutboxEntry, error: string): void;
}

/** Every integration's queue, side by side: a slow one never holds back another. */
export async function drainOutbox(options: DrainOptions): Promise<void> {
  const lanes = new Set(options.state.outbox.map((e) => e.integration));
  await Promise.all([...lanes].map((integration) => drainLane(integration, options)));
  refreshPending(options.state, options.counters);
}

/** Delivers one integration's entries in order until its head is not due, fails, or the queue is empty. */
export async function drainLane(integration: string, options: DrainOptions): Promise<void> {
  for (;;) {
    const queue = options.state.outbox.filter((e) => e.integration === integration);
    const entry = queue[0];
    if (!entry || entry.nextAttemptAtMs > options.nowMs) return;
    const nowMs = options.nowMs;
    const sender = options.senderFor(entry);
    const counters = (options.counters[entry.receiver] ??= { sent: 0, failed: 0, pending: 0 });
    if (!sender) {
      // The receiver left the policy on reload: nobody to deliver to.
      options.log(`escalation: dropping notification ${entry.id}: receiver ${entry.receiver} (${entry.integration}) is no longer configured`);
      remove(options.state, entry);
      counters.failed++;
      continue;
    }
    entry.attempts++;
    entry.inFlightSinceMs = nowMs;
    await options.persist();
    const ctx: DeliveryContext = {
      get state() {
        return options.state;
      },
      nowMs,
      later: queue.slice(1),
      checkpoint: options.persist,
    };
    const outcome = await attempt(sender, entry, ctx, options.attemptDeadlineMs);
    entry.inFlightSinceMs = undefined;
    if (outcome.ok) {
      remove(options.state, entry);
      counters.sent++;
      await options.persist();
      continue;
    }
    counters.failed++;
    entry.lastError = outcome.error;
    if (outcome.uncertain) entry.uncertain = true;
    if (outcome.afterData) entry.unconfirmed = (entry.unconfirmed ?? 0) + 1;
    if ((entry.unconfirmed ?? 0) >= MAX_UNCONFIRMED) {
      // Resent once with the same Message-ID; a second lost reply means the server keeps taking the
      // mail without confirming it: stop (it may have arrived twice already) and say so.
      const error = `the SMTP server took the message ${entry.unconfirmed} times without confirming it; it may or may not have arrived (${outcome.error})`;
      options.log(`escalation: giving up on notification ${entry.id} to ${entry.integration}: ${error}`);
      remove(options.state, entry);
      options.onUndeliverable?.(entry, error);
      await options.persist();
      return;
    }
    if (outcome.permanent) {
      options.log(`escalation: giving up on notification ${entry.id} to ${entry.integration}: ${outcome.error}`);
      remove(options.state, entry);
      options.onUndeliverable?.(entry, outcome.error);
      await options.persist();
      continue;
    }
    entry.nextAttemptAtMs = nowMs + (outcome.retryAfterMs ?? backoffMs(entry.attempts));
    options.log(`escalation: notification ${entry.id} to ${entry.integration} failed (attempt ${entry.attempts}, next in ${Math.round((entry.nextAttemptAtMs - nowMs) / 1000)}s): ${outcome.error}`);
    await options.persist();
    return;
  }
}

/** One attempt under a hard deadline: past it the attempt counts as failed with an unknown outcome
 *  (the sender aborts its connection when it can; a late answer is then ignored). */
async function attempt(sender: Sender, entry: OutboxEntry, ctx: DeliveryContext, deadlineMs: number | undefined): Promise<DeliveryOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const abort = new AbortController();
  const deadline = deadlineMs === undefined ? undefined : new Promise<DeliveryOutcome>((resolve) => {
    timer = setTimeout(() => {
      abort.abort(new Error(`no answer within ${deadlineMs} ms (deadline)`));
      resolve({ ok: false, error: `no answer within ${deadlineMs} ms (deadline)`, uncertain: true });
    }, deadlineMs);
    timer.unref?.();
  });
  const delivery = sender.deliver(entry, { ...withState(ctx), signal: abort.signal }).catch((error: unknown): DeliveryOutcome => ({ ok: false, error: (error as Error).message, uncertain: true }));
  try {
    return await (deadline ? Promise.race([delivery, deadline]) : delivery);
  } finally {
    clearTimeout(timer);
  }
}

/** The context again with `state` still read live (a reload may swap the state object). */
function withState(ctx: DeliveryContext): DeliveryContext {
  return { get state() { return ctx.state; }, nowMs: ctx.nowMs, later: ctx.later, checkpoint: ctx.checkpoint };
}

function remove(state: EscalationState, entry: OutboxEntry): void {
  const index = state.outbox.indexOf(entry);
  if (index >= 0) state.outbox.splice(index, 1);
}

export function refreshPending(state: EscalationState, counters: Record<string, ReceiverCounters>): void {
  for (const c of Object.values(counters)) c.pending = 0;
  for (const entry of state.outbox) (counters[entry.receiver] ??= { sent: 0, failed: 0, pending: 0 }).pending++;
}
