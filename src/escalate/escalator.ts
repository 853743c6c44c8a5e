// The escalator's runner: holds the state, asks the core (core.ts) what each event, tick or click
// changes, writes the answer down before anything is sent, then delivers the outbox. Every public call
// is serialised (one at a time). Signature checks and HTTP answers belong to the service, not here.
import type { AlertEvent } from '../model/index.js';
import type { EscalationPolicy } from '../policy/types.js';
import { groupViews, onAck, onGroupSilenced, onEvaluation, onSilenceCreated, onSilenceExpired, onTick, settle, type Decision } from './core.js';
import { drainOutbox, markInterrupted, refreshPending, type Sender } from './outbox.js';
import { buildSenders, closeSenders } from './senders.js';
import { viewSilence } from './silences.js';
import { loadState, STATE_KEY, type EscalationState } from './state.js';
import type { Escalator, EscalatorOptions, ReceiverCounters } from './types.js';

export async function createEscalator(options: EscalatorOptions): Promise<Escalator> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const store = options.store;
  let state: EscalationState = await loadState(store);
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
  /** One operation at a time: a tick that is still delivering must not interleave with the next. */
  function serial<T>(work: () => Promise<T>): Promise<T> {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  }

  // Skip writes that would not change the file: a live service ticks every second.
  let lastWritten = JSON.stringify(state);
  const persist = async (): Promise<void> => {
    const text = JSON.stringify(state);
    if (text === lastWritten) return;
    await store.write(STATE_KEY, JSON.parse(text));
    lastWritten = text;
  };

  const deliver = (nowMs: number): Promise<void> => drainOutbox({ state, nowMs, senderFor: (e) => senders.get(e.integration), persist, counters, log });

  /** Written down before anything is sent; then delivered, then finished groups let go. */
  async function commitAndDeliver(nowMs: number): Promise<void> {
    await persist();
    await deliver(nowMs);
    adopt(settle(state));
    await persist();
  }

  const escalator: Escalator = {
    handle: (events: readonly AlertEvent[], nowMs: number) =>
      serial(async () => {
        adopt(onEvaluation(state, policy, events, nowMs));
        await commitAndDeliver(nowMs);
      }),
    tick: (nowMs: number) =>
      serial(async () => {
        adopt(onTick(state, policy, nowMs));
        await commitAndDeliver(nowMs);
      }),
    deliver: (nowMs: number) =>
      serial(async () => {
        await deliver(nowMs);
        adopt(settle(state));
        await persist();
      }),
    ack: (id: string, by: string, nowMs: number) =>
      serial(async () => {
        const result = adopt(onAck(state, policy, id, by, nowMs));
        if (!result.ok) return result;
        await persist();
        await deliver(nowMs);
        await persist();
        return result;
      }),
    silenceGroup: (groupId: string, durationMs: number, by: string, nowMs: number) =>
      serial(async () => {
        const result = adopt(onGroupSilenced(state, policy, groupId, durationMs, by, nowMs));
        if (!result.ok) return result;
        await persist();
        await deliver(nowMs);
        await persist();
        return result;
      }),
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
    close: () => serial(() => closeSenders(senders)),
  };
  return escalator;
}
