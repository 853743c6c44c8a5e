// The escalator's decisions, free of I/O: given the state, the policy, what happened and the time, the
// next state and the notifications written to its outbox. Nothing here awaits, reads the clock or
// touches a store; the runner (escalator.ts) persists what these return and delivers the outbox.
import type { AlertEvent, Labels } from '../model/index.js';
import type { EscalationPolicy } from '../policy/types.js';
import { findReceiver } from '../policy/routes.js';
import { afterFlush, collectFinished, ingestEvents } from './dispatch.js';
import { escapeSlack } from './format.js';
import { safeLabels } from './redact.js';
import { collectSilences, expireSilence, newSilence, viewSilence } from './silences.js';
import { DedupStage, InhibitStage, NotifyStage, SetNotifiesStage, SilenceStage, StepWaitStage, runPipeline, stepDueAtMs, type Flush, type IntegrationRef, type Stage } from './stages.js';
import type { EscalationState, GroupState, OutboxEntry, StepState } from './state.js';
import type { AckResult, AlertGroupView, SilenceInput, SilenceView } from './types.js';

export interface Decision<T = void> {
  readonly state: EscalationState;
  /** Entries this decision added to `state.outbox`, in order. */
  readonly outbox: readonly OutboxEntry[];
  /** Lines for the log. */
  readonly log: readonly string[];
  /** Lines the runner logs the first time only (a tick every second must not repeat them). */
  readonly warnings: readonly string[];
  readonly result: T;
}

interface Notes {
  readonly log: string[];
  readonly warnings: string[];
}

/** Works on a copy, so the caller's state is untouched whatever `work` does or throws. Outbox entries
 *  already written are shared, not copied: no decision changes one (only deliveries do), and a delivery
 *  in flight keeps writing to the entry the runner's current state holds. */
function decide<T>(state: EscalationState, work: (next: EscalationState, notes: Notes) => T): Decision<T> {
  const next = { ...structuredClone({ ...state, outbox: [] }), outbox: [...state.outbox] };
  const before = new Set(next.outbox.map((e) => e.id));
  const notes: Notes = { log: [], warnings: [] };
  const result = work(next, notes);
  return { state: next, outbox: next.outbox.filter((e) => !before.has(e.id)), log: notes.log, warnings: notes.warnings, result };
}

/** The stages one integration of one escalation step runs, in order, wired to `state`. */
export function pipelineFor(policy: EscalationPolicy, state: EscalationState, integration: IntegrationRef, step: { readonly state: StepState; readonly index: number }, log: (line: string) => void): readonly Stage[] {
  const writer = { outbox: state.outbox, emailThreads: state.emailThreads, nextId: () => `n${++state.seq}` };
  return [
    new InhibitStage(policy.inhibitRules),
    new SilenceStage(state.silences),
    new StepWaitStage(step.state),
    new DedupStage(state.nflog, integration),
    new NotifyStage(policy, state.nflog, writer, integration, step, log),
    new SetNotifiesStage(state.nflog, integration, step.state),
  ];
}

function firingSources(state: EscalationState): Labels[] {
  const out: Labels[] = [];
  for (const g of Object.values(state.groups)) for (const a of Object.values(g.alerts)) if (a.resolvedAtMs === undefined) out.push(a.labels);
  return out;
}

/** Runs the pipeline for the group's steps selected by `which`. */
function flushSteps(state: EscalationState, policy: EscalationPolicy, group: GroupState, nowMs: number, which: (stepIndex: number) => boolean, notes: Notes): void {
  const alerts = Object.values(group.alerts);
  const flush: Flush = { group, nowMs, firingSources: firingSources(state) };
  group.steps.forEach((step, index) => {
    if (!which(index)) return;
    const receiver = findReceiver(policy, step.receiver);
    if (!receiver) {
      notes.warnings.push(`escalation: receiver ${step.receiver} is not in the policy any more; group ${group.id} skips it`);
      return;
    }
    receiver.integrations.forEach((config, i) => {
      const integration: IntegrationRef = { receiver: receiver.name, config, key: `${receiver.name}/${config.type}/${i}` };
      runPipeline(pipelineFor(policy, state, integration, { state: step, index }, (line) => notes.log.push(line)), flush, alerts);
    });
  });
}

function runTimers(state: EscalationState, policy: EscalationPolicy, nowMs: number, notes: Notes): void {
  state.silences = collectSilences(state.silences, nowMs);
  for (const group of Object.values(state.groups)) {
    if (nowMs >= group.nextFlushAtMs) {
      flushSteps(state, policy, group, nowMs, () => true, notes);
      afterFlush(state, group, nowMs);
    } else {
      // Escalation timers run between flushes: the partner hears at `after`, not at the next interval.
      flushSteps(state, policy, group, nowMs, (i) => i > 0 && group.steps[i]!.triggeredAtMs === undefined && nowMs >= stepDueAtMs(group, group.steps[i]!), notes);
    }
  }
  collectFinished(state);
}

/** Detector transitions (pending ones ignored), then every timer due at `nowMs`. */
export function onEvaluation(state: EscalationState, policy: EscalationPolicy, events: readonly AlertEvent[], nowMs: number): Decision {
  return decide(state, (s, notes) => {
    ingestEvents(s, policy, events, nowMs);
    runTimers(s, policy, nowMs, notes);
  });
}

/** Group flushes, escalation steps and silence expiry due at `nowMs`. */
export function onTick(state: EscalationState, policy: EscalationPolicy, nowMs: number): Decision {
  return decide(state, (s, notes) => runTimers(s, policy, nowMs, notes));
}

/** By alert-group id, or by an alert id (acks the groups holding it); receivers already paged are told. */
export function onAck(state: EscalationState, policy: EscalationPolicy, id: string, by: string, nowMs: number): Decision<AckResult> {
  return decide(state, (s, notes): AckResult => {
    const groups = s.groups[id] ? [s.groups[id]!] : Object.values(s.groups).filter((g) => g.alerts[id] !== undefined);
    if (groups.length === 0) return { ok: false, reason: 'not_found' };
    for (const group of groups) {
      if (!group.ack) group.ack = { by: by.slice(0, 80), atMs: nowMs };
      // Show the acknowledgement at once to receivers already paged (Slack updates its message).
      flushSteps(s, policy, group, nowMs, (i) => group.steps[i]!.triggeredAtMs !== undefined, notes);
    }
    return { ok: true, groupId: groups[0]!.id };
  });
}

/** Slack's Silence button: a silence of the group's labels for `durationMs`, the group acknowledged
 *  (nobody else needs paging), and receivers already paged shown both before the silence mutes them. */
export function onGroupSilenced(state: EscalationState, policy: EscalationPolicy, groupId: string, durationMs: number, by: string, nowMs: number, comment = 'silenced from Slack'): Decision<{ ok: true; silence: SilenceView } | { ok: false; reason: string }> {
  return decide(state, (s, notes) => {
    const group = s.groups[groupId];
    if (!group) return { ok: false as const, reason: 'not_found' };
    const matchers = Object.entries(group.labels).map(([label, value]) => ({ label, op: '=' as const, value }));
    let silence;
    try {
      silence = newSilence({ matchers, endsAtMs: nowMs + durationMs, createdBy: by.slice(0, 80), comment: comment.trim().slice(0, 500) || 'silenced from Slack' }, nowMs, s.seq + 1);
    } catch (error) {
      return { ok: false as const, reason: (error as Error).message };
    }
    s.seq++;
    group.silenced = { id: silence.id, by: silence.createdBy, untilMs: silence.endsAtMs, ...(comment !== 'silenced from Slack' ? { comment: silence.comment } : {}) };
    if (!group.ack) group.ack = { by: silence.createdBy, atMs: nowMs };
    flushSteps(s, policy, group, nowMs, (i) => group.steps[i]!.triggeredAtMs !== undefined, notes);
    s.silences.push(silence);
    return { ok: true as const, silence: viewSilence(silence, nowMs) };
  });
}

/** Throws SilenceError (message + fix) on bad matchers or times, before anything changes. */
export function onSilenceCreated(state: EscalationState, input: SilenceInput, nowMs: number): Decision<SilenceView> {
  return decide(state, (s) => {
    const firing = Object.values(s.groups).flatMap((g) => Object.values(g.alerts).filter((a) => a.resolvedAtMs === undefined).map((a) => a.labels));
    const silence = newSilence(input, nowMs, s.seq + 1, firing);
    s.seq++;
    s.silences.push(silence);
    return viewSilence(silence, nowMs);
  });
}

export function onSilenceExpired(state: EscalationState, id: string, nowMs: number): Decision<boolean> {
  return decide(state, (s) => expireSilence(s.silences, id, nowMs) !== undefined);
}

/** The firing alerts the detector still holds, after an evaluation: any other firing alert the escalator
 *  knows is resolved once it has been missing for resolve_timeout (Alertmanager resolves an alert that
 *  stops being sent the same way), so a lost detector state or a renamed series cannot page forever. */
export function onReconcile(state: EscalationState, policy: EscalationPolicy, activeIds: ReadonlySet<string>, nowMs: number): Decision<number> {
  return decide(state, (s, notes) => {
    let resolved = 0;
    for (const group of Object.values(s.groups)) {
      for (const alert of Object.values(group.alerts)) {
        if (alert.resolvedAtMs !== undefined) continue;
        if (activeIds.has(alert.id)) {
          alert.lastSeenAtMs = nowMs;
          continue;
        }
        const since = alert.lastSeenAtMs ?? alert.lastEventAtMs;
        if (since > nowMs) {
          // The clock went back (a restart that lost the detector's saved time, an NTP step): count from now.
          alert.lastSeenAtMs = nowMs;
          continue;
        }
        if (nowMs - since < policy.resolveTimeoutMs) continue;
        alert.resolvedAtMs = nowMs;
        alert.lastEventAtMs = nowMs;
        resolved++;
        notes.log.push(`escalation: alert ${alert.id} resolved: the detector has not reported it for ${Math.round((nowMs - since) / 1000)}s (resolve_timeout)`);
      }
    }
    return resolved;
  });
}

/** After a reload: alerts of rules that are gone (renamed or removed) resolve now, with a RESOLVED notice. */
export function onRulesRetired(state: EscalationState, rules: ReadonlySet<string>, nowMs: number): Decision<number> {
  return decide(state, (s, notes) => {
    let resolved = 0;
    for (const group of Object.values(s.groups)) {
      for (const alert of Object.values(group.alerts)) {
        const rule = alert.labels.rule;
        if (alert.resolvedAtMs !== undefined || rule === undefined || rules.has(rule)) continue;
        alert.resolvedAtMs = nowMs;
        alert.lastEventAtMs = nowMs;
        resolved++;
        notes.log.push(`escalation: alert ${alert.id} resolved: rule ${rule} is no longer in the rule files`);
      }
    }
    return resolved;
  });
}

/** An e-mail the SMTP server refused for good: the group's on-call Slack channel (else the root route's)
 *  hears what was not delivered, so the partner is reached another way. */
export function onUndeliverable(state: EscalationState, policy: EscalationPolicy, entry: OutboxEntry, error: string, nowMs: number): Decision<number> {
  return decide(state, (s, notes) => {
    if (entry.payload.kind !== 'email') return 0;
    const mail = entry.payload;
    const group = s.groups[entry.groupId];
    for (const name of [group?.route.receiver, policy.route.receiver]) {
      const receiver = name === undefined ? undefined : findReceiver(policy, name);
      const slack = (receiver?.integrations ?? []).map((config, i) => ({ config, key: `${receiver!.name}/${config.type}/${i}` })).filter((x) => x.config.type === 'slack');
      if (slack.length === 0) continue;
      const text = undeliveredText(mail.to, mail.subject, entry.receiver, error);
      for (const { config, key } of slack) {
        if (config.type !== 'slack') continue;
        s.outbox.push({
          id: `n${++s.seq}`, integration: key, receiver: receiver!.name, groupId: entry.groupId, createdAtMs: nowMs,
          payload: { kind: 'slack', channel: config.channel, text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }], notice: true },
          attempts: 0, nextAttemptAtMs: nowMs, done: [],
        });
      }
      return slack.length;
    }
    notes.log.push(`escalation: e-mail ${entry.id} was refused and no Slack receiver is configured to say so`);
    return 0;
  });
}

function undeliveredText(to: readonly string[], subject: string, receiver: string, error: string): string {
  return `:warning: *E-mail not delivered* (receiver ${escapeSlack(receiver)}): "${escapeSlack(subject)}" to ${to.map(escapeSlack).join(', ')} was refused: ${escapeSlack(error.slice(0, 300))}. Nobody at those addresses has been told; reach them another way.`;
}

/** After a delivery round: references of finished groups whose queue is empty are let go. */
export function settle(state: EscalationState): Decision {
  return decide(state, (s) => collectFinished(s));
}

export function groupViews(state: EscalationState, policy: EscalationPolicy): AlertGroupView[] {
  return Object.values(state.groups).map((g) => viewGroup(g, policy.renderLabels));
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
