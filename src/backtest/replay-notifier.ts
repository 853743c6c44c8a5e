// `sentinel backtest --notify sentinel.yaml`: the same escalator, driven by the recording's clock, with
// the real senders (Slack API URL and SMTP server from the policy, secrets from the environment). What
// arrives in Slack and the partner's inbox is what would have arrived; each message says "at <recorded
// time>", since delivery itself happens at once in wall time.
import { formatDiagnostic } from '../config/load.js';
import type { AlertEvent } from '../model/index.js';
import { memoryStore } from '../store/file-store.js';
import { createEscalator } from '../escalate/escalator.js';
import { loadPolicyFile } from '../policy/index.js';
import type { ReceiverCounters } from '../escalate/types.js';

export interface ReplayNotifier {
  /** Call once per evaluation batch, in recorded time, even with no events (timers advance). */
  handle(events: readonly AlertEvent[], nowMs: number): Promise<void>;
  /** Delivers what is still queued (retrying in recorded time for up to `drainMs`), then closes senders. */
  finish(nowMs: number): Promise<void>;
  /** Notifications sent / failed / pending per receiver, for the backtest's summary. */
  counters(): Readonly<Record<string, ReceiverCounters>>;
}

export interface ReplayOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly log?: (line: string) => void;
  /** How long (recorded time) finish() keeps retrying an undelivered outbox. Default 1h. */
  readonly drainMs?: number;
}

export async function createReplayNotifier(policyFile: string, options: ReplayOptions = {}): Promise<ReplayNotifier> {
  const loaded = await loadPolicyFile(policyFile);
  if (!loaded.ok) throw new Error(`cannot use ${policyFile} for --notify:\n${loaded.diagnostics.map(formatDiagnostic).join('\n')}`);
  const escalator = await createEscalator({ policy: loaded.value, store: memoryStore(), env: options.env, log: options.log });
  let lastMs = -Infinity;
  return {
    async handle(events, nowMs) {
      lastMs = Math.max(lastMs, nowMs);
      await escalator.handle(events, nowMs);
    },
    async finish(nowMs) {
      const end = Math.max(nowMs, lastMs);
      await escalator.tick(end);
      // Retries happen in recorded time too: step the clock (deliveries only, no new timers) until the
      // outbox is empty or we give up.
      const drainMs = options.drainMs ?? 3_600_000;
      for (let t = end + 10_000; t <= end + drainMs && pending(escalator.counters()) > 0; t += 10_000) await escalator.deliver(t);
      await escalator.close();
    },
    counters: () => escalator.counters(),
  };
}

function pending(counters: Readonly<Record<string, ReceiverCounters>>): number {
  return Object.values(counters).reduce((sum, c) => sum + c.pending, 0);
}
