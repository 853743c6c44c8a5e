import type { AlertEvent, Labels } from '../model/index.js';
import { afterFlush, collectFinished, ingestEvents } from './dispatch.js';
import { createEmailSender } from './email.js';
import { drainOutbox, markInterrupted, refreshPending, type Sender } from './outbox.js';
import { findReceiver } from './policy.js';
import { safeLabels } from './redact.js';
import { collectSilences, expireSilence, newSilence, viewSilence } from './silences.js';
import { createSlackSender } from './slack.js';
import { parseAckAction, verifySlackRequest } from './slack-verify.js';
import { pipeline, runPipeline, stepDueAtMs, type NotifyContext } from './stages.js';
import { loadState, STATE_KEY, type EscalationState, type GroupState, type OutboxEntry } from './state.js';
import type { AckResult, AlertGroupView, EscalationPolicy, Escalator, EscalatorOptions, IntegrationConfig, InteractionResult, ReceiverCounters, SilenceInput, SilenceView } from './types.js';

// The escalator: drivers feed it detector transitions and the time; it routes alerts into groups, runs
// each due group through the per-integration stages, and drains the outbox. Every public call is
// serialised (one at a time) and ends with the state persisted.

export async function createEscalator(options: EscalatorOptions): Promise<Escalator> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const store = options.store;
  const state: EscalationState = await loadState(store);
  markInterrupted(state);
  const stages = pipeline();
  const counters: Record<string, ReceiverCounters> = {};
  let policy = options.policy;
  let senders = buildSenders(policy, env, log);
  refreshPending(state, counters);

  /** Warnings already given, so a tick every few seconds does not repeat them. */
  const warned = new Set<string>();
  let queue: Promise<unknown> = Promise.resolve();
  /** One operation at a time: a tick that is still delivering must not interleave with the next. */
  function serial<T>(work: () => Promise<T>): Promise<T> {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  }

  // Skip writes that would not change the file: a live service ticks every few seconds.
  let lastWritten = JSON.stringify(state);
  const persist = async (): Promise<void> => {
    const text = JSON.stringify(state);
    if (text === lastWritten) return;
    await store.write(STATE_KEY, JSON.parse(text));
    lastWritten = text;
  };

  function integrationKey(receiver: string, config: IntegrationConfig, index: number): string {
    return `${receiver}/${config.type}/${index}`;
  }

  function firingSources(): Labels[] {
    const out: Labels[] = [];
    for (const g of Object.values(state.groups)) for (const a of Object.values(g.alerts)) if (a.resolvedAtMs === undefined) out.push(a.labels);
    return out;
  }

  /** Runs the pipeline for the group's steps selected by `which`. */
  function flushSteps(group: GroupState, nowMs: number, which: (stepIndex: number) => boolean): void {
    const alerts = Object.values(group.alerts);
    const sources = firingSources();
    group.steps.forEach((step, stepIndex) => {
      if (!which(stepIndex)) return;
      const receiver = findReceiver(policy, step.receiver);
      if (!receiver) {
        const warning = `escalation: receiver ${step.receiver} is not in the policy any more; group ${group.id} skips it`;
        if (!warned.has(warning)) log(warning);
        warned.add(warning);
        return;
      }
      receiver.integrations.forEach((integration, index) => {
        const ctx: NotifyContext = {
          policy, state, group, receiver: receiver.name, integration, integrationKey: integrationKey(receiver.name, integration, index),
          step, stepIndex, nowMs, firingSources: sources, log,
        };
        runPipeline(stages, ctx, alerts);
      });
    });
  }

  async function tickNow(nowMs: number): Promise<void> {
    state.silences = collectSilences(state.silences, nowMs);
    for (const group of Object.values(state.groups)) {
      if (nowMs >= group.nextFlushAtMs) {
        flushSteps(group, nowMs, () => true);
        afterFlush(state, group, nowMs);
      } else {
        // Escalation timers run between flushes: the partner hears at `after`, not at the next interval.
        flushSteps(group, nowMs, (i) => i > 0 && group.steps[i]!.triggeredAtMs === undefined && nowMs >= stepDueAtMs(group, group.steps[i]!));
      }
    }
    collectFinished(state);
    // Written down before anything is sent.
    await persist();
    await drainOutbox({ state, nowMs, senderFor: (e) => senderFor(e), persist, counters, log });
    collectFinished(state);
    await persist();
  }

  function senderFor(entry: OutboxEntry): Sender | undefined {
    return senders.get(entry.integration);
  }

  async function ackNow(id: string, by: string, nowMs: number): Promise<AckResult> {
    const groups = state.groups[id] ? [state.groups[id]!] : Object.values(state.groups).filter((g) => g.alerts[id] !== undefined);
    if (groups.length === 0) return { ok: false, reason: 'not_found' };
    for (const group of groups) {
      if (!group.ack) group.ack = { by: by.slice(0, 80), atMs: nowMs };
      // Show the acknowledgement at once to receivers already paged (Slack updates its message).
      flushSteps(group, nowMs, (i) => group.steps[i]!.triggeredAtMs !== undefined);
    }
    await persist();
    await drainOutbox({ state, nowMs, senderFor, persist, counters, log });
    await persist();
    return { ok: true, groupId: groups[0]!.id };
  }

  const escalator: Escalator = {
    handle(events: readonly AlertEvent[], nowMs: number) {
      return serial(async () => {
        ingestEvents(state, policy, events, nowMs);
        await tickNow(nowMs);
      });
    },
    tick(nowMs: number) {
      return serial(() => tickNow(nowMs));
    },
    deliver(nowMs: number) {
      return serial(async () => {
        await drainOutbox({ state, nowMs, senderFor, persist, counters, log });
        collectFinished(state);
        await persist();
      });
    },
    ack(id: string, by: string, nowMs: number) {
      return serial(() => ackNow(id, by, nowMs));
    },
    handleSlackInteraction(rawBody, headers, nowMs): Promise<InteractionResult> {
      const secret = env[policy.slackSigningSecretEnv] ?? '';
      const verified = verifySlackRequest(rawBody, headers, secret, nowMs);
      if (!verified.ok) {
        log(`escalation: rejected Slack interactivity request: ${verified.reason}`);
        return Promise.resolve({ status: 401, body: 'invalid request signature' });
      }
      const action = parseAckAction(rawBody);
      if (!action) return Promise.resolve({ status: 400, body: 'not an acknowledge action' });
      return escalator.ack(action.groupId, action.by, nowMs).then((result) => (result.ok ? { status: 200, body: '' } : { status: 404, body: 'unknown alert group' }));
    },
    silences: {
      list: (nowMs) => state.silences.map((s) => viewSilence(s, nowMs)),
      get: (id, nowMs) => {
        const found = state.silences.find((s) => s.id === id);
        return found ? viewSilence(found, nowMs) : undefined;
      },
      create: (input: SilenceInput, nowMs: number): Promise<SilenceView> =>
        serial(async () => {
          const silence = newSilence(input, nowMs, ++state.seq);
          state.silences.push(silence);
          await persist();
          return viewSilence(silence, nowMs);
        }),
      expire: (id: string, nowMs: number) =>
        serial(async () => {
          const expired = expireSilence(state.silences, id, nowMs);
          if (expired) await persist();
          return expired !== undefined;
        }),
    },
    groups: () => Object.values(state.groups).map((g) => viewGroup(g, policy.renderLabels)),
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
        await Promise.all([...previous.values()].map((s) => s.close?.()));
      }),
    close: () => serial(async () => {
      await Promise.all([...senders.values()].map((s) => s.close?.()));
    }),
  };
  return escalator;
}

function viewGroup(g: GroupState, allow: readonly string[]): AlertGroupView {
  const alerts = Object.values(g.alerts);
  return {
    id: g.id,
    receiver: g.route.receiver,
    labels: safeLabels(g.labels, allow),
    createdAtMs: g.createdAtMs,
    firingAlertIds: alerts.filter((a) => a.resolvedAtMs === undefined).map((a) => a.id),
    resolvedAlertIds: alerts.filter((a) => a.resolvedAtMs !== undefined).map((a) => a.id),
    acknowledged: g.ack,
    escalatedTo: g.steps.filter((s) => s.triggeredAtMs !== undefined).map((s) => s.receiver),
  };
}

/** One sender per integration; secrets are read from the environment here and live only in the clients. */
function buildSenders(policy: EscalationPolicy, env: Readonly<Record<string, string | undefined>>, log: (line: string) => void): Map<string, Sender> {
  const senders = new Map<string, Sender>();
  for (const receiver of policy.receivers) {
    receiver.integrations.forEach((config, index) => {
      const key = `${receiver.name}/${config.type}/${index}`;
      if (config.type === 'slack') {
        const token = env[config.tokenEnv];
        if (!token) log(`escalation: ${key}: environment variable ${config.tokenEnv} is not set; Slack will refuse the calls`);
        senders.set(key, createSlackSender({ config, token: token ?? '' }));
      } else {
        const password = config.authPasswordEnv ? env[config.authPasswordEnv] : undefined;
        if (config.authPasswordEnv && !password) log(`escalation: ${key}: environment variable ${config.authPasswordEnv} is not set`);
        senders.set(key, createEmailSender({ config, password }));
      }
    });
  }
  return senders;
}
