// The escalator's runner: holds the state, asks the core (core.ts) what each event, tick or click
// changes, writes the answer down, then hands the outbox to one delivery lane per receiver integration.
// Decisions are serialised; deliveries are not part of them: a receiver that hangs holds up its own
// lane only, never the next evaluation, another partner's page, an acknowledgement or a silence.
// A failing disk never holds up a page either: a write that fails is reported and delivery goes on.
// Signature checks and HTTP answers belong to the service, not here.
import type { AlertEvent } from '../model/index.js';
import type { EscalationPolicy } from '../policy/types.js';
import { groupViews, onAck, onEvaluation, onGroupSilenced, onReconcile, onRulesRetired, onSilenceCreated, onSilenceExpired, onTick, onUndeliverable, settle, type Decision } from './core.js';
import { drainLane, markInterrupted, refreshPending, type DrainOptions, type Sender } from './outbox.js';
import { buildSenders, closeSenders } from './senders.js';
import { viewSilence } from './silences.js';
import { modalTitle, silenceModalView, slackConfigFor } from './silence-modal.js';
import { openSlackView } from './slack-views.js';
import { loadState, STATE_KEY, type EscalationState, type OutboxEntry } from './state.js';
import type { Escalator, EscalatorOptions, ReceiverCounters } from './types.js';

/** Failed writes are logged at most this often (the count goes on in onWriteFailure). */
const WRITE_FAILURE_LOG_MS = 60_000;

export async function createEscalator(options: EscalatorOptions): Promise<Escalator> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const store = options.store;
  let state: EscalationState = await loadState(store, log);
  markInterrupted(state);
  const counters: Record<string, ReceiverCounters> = {};
  let policy = options.policy;
  let senders: Map<string, Sender> = buildSenders(policy, env, log);
  refreshPending(state, counters);

  /** Warnings already given, so a tick every second does not repeat them. */
  const warned = new Set<string>();
  function adopt<T>(decision: Decision<T>): T {
    state = decision.state;
    for (const line of decision.log) log(line);
    for (const line of decision.warnings) {
      if (!warned.has(line)) log(line);
      warned.add(line);
    }
    return decision.result;
  }

  let queue: Promise<unknown> = Promise.resolve();
  /** One decision at a time (with its write); deliveries run beside, in their lanes. */
  function serial<T>(work: () => Promise<T>): Promise<T> {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  }

  // Writes one after another, skipping those that would not change the file (a live service ticks every
  // second). A failed write is reported, never thrown: the page goes out, the next write may succeed.
  let lastWritten = JSON.stringify(state);
  let writes: Promise<void> = Promise.resolve();
  let lastFailureLogAt = -Infinity;
  let failuresSinceLog = 0;
  const writeOnce = async (): Promise<void> => {
    const text = JSON.stringify(state);
    if (text === lastWritten) return;
    try {
      await store.write(STATE_KEY, JSON.parse(text));
      lastWritten = text;
    } catch (error) {
      options.onWriteFailure?.(error as Error);
      failuresSinceLog++;
      const at = performance.now();
      if (at - lastFailureLogAt >= WRITE_FAILURE_LOG_MS) {
        log(`escalation: cannot write the escalation state (${failuresSinceLog} failed write(s) since the last such line); notifications still go out: ${(error as Error).message}`);
        lastFailureLogAt = at;
        failuresSinceLog = 0;
      }
    }
  };
  const persist = (): Promise<void> => {
    writes = writes.then(writeOnce);
    return writes;
  };

  // One lane per integration. A lane reads the current state and the latest time at every step.
  let latestNowMs = -Infinity;
  const running = new Map<string, Promise<void>>();
  const lane: DrainOptions = {
    get state() {
      return state;
    },
    get nowMs() {
      return latestNowMs;
    },
    senderFor: (entry) => senders.get(entry.integration),
    persist,
    counters,
    log,
    attemptDeadlineMs: options.attemptDeadlineMs ?? policy.receiverTimeoutMs + 5_000,
    onUndeliverable: (entry: OutboxEntry, error: string) => {
      if (entry.payload.kind !== 'email') return;
      adopt(onUndeliverable(state, policy, entry, error, latestNowMs));
      startDueLanes();
    },
  };
  const headDue = (integration: string): boolean => {
    const head = state.outbox.find((e) => e.integration === integration);
    return head !== undefined && head.nextAttemptAtMs <= latestNowMs;
  };
  function startLane(integration: string): Promise<void> {
    const run = async (): Promise<void> => {
      try {
        // Entries written while the lane was busy are taken in the same run.
        do await drainLane(integration, lane);
        while (headDue(integration) && !closing);
      } catch (error) {
        log(`escalation: delivery to ${integration} stopped: ${(error as Error).message}`);
      } finally {
        running.delete(integration);
        refreshPending(state, counters);
      }
    };
    const started = run();
    running.set(integration, started);
    return started;
  }

  /** Starts the idle lanes with something due; resolves when no lane has work left. */
  async function kick(nowMs: number): Promise<void> {
    latestNowMs = Math.max(latestNowMs, nowMs);
    startDueLanes();
    while (running.size > 0) await Promise.all(running.values());
    adopt(settle(state));
    await persist();
  }

  function startDueLanes(): void {
    if (closing) return;
    for (const integration of new Set(state.outbox.map((e) => e.integration))) {
      if (!running.has(integration) && headDue(integration)) startLane(integration);
    }
  }

  /** Waits for the deliveries a call started, at most `deliveryWaitMs` (the rest goes on behind). */
  function deliverAfter(nowMs: number): Promise<void> {
    const round = kick(nowMs);
    const bound = options.deliveryWaitMs;
    if (bound === undefined) return round;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, bound);
      timer.unref?.();
      void round.finally(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  let closing = false;

  const escalator: Escalator = {
    async handle(events: readonly AlertEvent[], nowMs: number) {
      await serial(async () => {
        adopt(onEvaluation(state, policy, events, nowMs));
        await persist();
      });
      await deliverAfter(nowMs);
    },
    async tick(nowMs: number) {
      await serial(async () => {
        adopt(onTick(state, policy, nowMs));
        await persist();
      });
      await deliverAfter(nowMs);
    },
    async deliver(nowMs: number) {
      await serial(async () => undefined);
      await deliverAfter(nowMs);
    },
    async ack(id: string, by: string, nowMs: number) {
      const result = await serial(async () => {
        const answer = adopt(onAck(state, policy, id, by, nowMs));
        if (answer.ok) await persist();
        return answer;
      });
      if (result.ok) await deliverAfter(nowMs);
      return result;
    },
    async reconcile(activeAlertIds: readonly string[], nowMs: number) {
      const resolved = await serial(async () => {
        const count = adopt(onReconcile(state, policy, new Set(activeAlertIds), nowMs));
        await persist();
        return count;
      });
      if (resolved > 0) await deliverAfter(nowMs);
      return resolved;
    },
    async retireRules(ruleNames: readonly string[], nowMs: number) {
      const resolved = await serial(async () => {
        const count = adopt(onRulesRetired(state, new Set(ruleNames), nowMs));
        await persist();
        return count;
      });
      return resolved;
    },
    async openSilenceModal(groupId: string, triggerId: string) {
      const group = state.groups[groupId];
      if (!group) return { ok: false as const, reason: 'not_found' };
      const config = slackConfigFor(policy, state.slackMessages, groupId);
      if (!config) return { ok: false as const, reason: 'no Slack receiver in the policy' };
      return openSlackView(config, env[config.tokenEnv] ?? '', triggerId, silenceModalView(groupId, modalTitle(group.labels)));
    },
    async silenceGroup(groupId: string, durationMs: number, by: string, nowMs: number, comment?: string) {
      const result = await serial(async () => {
        const answer = adopt(onGroupSilenced(state, policy, groupId, durationMs, by, nowMs, comment));
        if (answer.ok) await persist();
        return answer;
      });
      if (result.ok) await deliverAfter(nowMs);
      return result;
    },
    silences: {
      list: (nowMs) => state.silences.map((s) => viewSilence(s, nowMs)),
      get: (id, nowMs) => {
        const found = state.silences.find((s) => s.id === id);
        return found ? viewSilence(found, nowMs) : undefined;
      },
      create: (input, nowMs) =>
        serial(async () => {
          const view = adopt(onSilenceCreated(state, input, nowMs));
          await persist();
          return view;
        }),
      expire: (id, nowMs) =>
        serial(async () => {
          const expired = adopt(onSilenceExpired(state, id, nowMs));
          if (expired) await persist();
          return expired;
        }),
    },
    groups: () => groupViews(state, policy),
    savedUpToMs: () => latestInstant(state),
    counters: () => {
      refreshPending(state, counters);
      for (const r of policy.receivers) counters[r.name] ??= { sent: 0, failed: 0, pending: 0 };
      return structuredClone(counters);
    },
    reload: (next: EscalationPolicy) =>
      serial(async () => {
        const previous = senders;
        policy = next;
        senders = buildSenders(next, env, log);
        await closeSenders(previous);
      }),
    close: () =>
      serial(async () => {
        closing = true;
        // Closing the senders aborts their calls in flight; the lanes then record the attempt and stop.
        await closeSenders(senders);
        await Promise.race([Promise.all(running.values()), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
        await persist();
      }),
  };
  return escalator;
}

function latestInstant(state: EscalationState): number | undefined {
  let latest = -Infinity;
  for (const g of Object.values(state.groups)) {
    latest = Math.max(latest, g.createdAtMs);
    for (const a of Object.values(g.alerts)) latest = Math.max(latest, a.lastEventAtMs, a.lastSeenAtMs ?? -Infinity);
  }
  for (const entry of Object.values(state.nflog)) latest = Math.max(latest, entry.atMs);
  for (const s of state.silences) latest = Math.max(latest, s.updatedAtMs);
  for (const e of state.outbox) latest = Math.max(latest, e.createdAtMs);
  return Number.isFinite(latest) ? latest : undefined;
}
