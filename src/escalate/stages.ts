import type { Labels } from '../model/index.js';
import { emailMessage, slackHistoryLine, slackMessage } from './format.js';
import { isInhibited } from './inhibit.js';
import { buildView } from './notification.js';
import { isSilenced } from './silences.js';
import { nflogKey, type AlertRecord, type EscalationState, type GroupState, type NotificationLogEntry, type OutboxPayload, type StepState } from './state.js';
import type { EscalationPolicy, IntegrationConfig } from './types.js';

// The notify pipeline, after Alertmanager's notify/notify.go: each stage is one type with one `exec`,
// taking the alerts still in play and returning those that go on; an empty answer ends the pipeline.
// Stages are synchronous: the NotifyStage only writes into the outbox, which delivers (and retries) later.

export interface NotifyContext {
  readonly policy: EscalationPolicy;
  readonly state: EscalationState;
  readonly group: GroupState;
  readonly receiver: string;
  readonly integration: IntegrationConfig;
  /** `${receiver}/${type}/${index}`. */
  readonly integrationKey: string;
  /** The escalation step this receiver belongs to for this group (step 0: the route's receiver). */
  readonly step: StepState;
  readonly stepIndex: number;
  readonly nowMs: number;
  /** Labels of every firing alert the escalator knows, for inhibition. */
  readonly firingSources: readonly Labels[];
  readonly log: (line: string) => void;
}

export interface Stage {
  readonly name: string;
  exec(ctx: NotifyContext, alerts: readonly AlertRecord[]): readonly AlertRecord[];
}

const isFiring = (a: AlertRecord): boolean => a.resolvedAtMs === undefined;

/** Mutes firing alerts held back by an inhibit rule. Resolved alerts pass, so a resolve is never lost. */
export class InhibitStage implements Stage {
  readonly name = 'inhibit';
  exec(ctx: NotifyContext, alerts: readonly AlertRecord[]): readonly AlertRecord[] {
    if (ctx.policy.inhibitRules.length === 0) return alerts;
    return alerts.filter((a) => !isFiring(a) || !isInhibited(ctx.policy.inhibitRules, a.labels, ctx.firingSources));
  }
}

/** Mutes firing alerts matched by an active silence. */
export class SilenceStage implements Stage {
  readonly name = 'silence';
  exec(ctx: NotifyContext, alerts: readonly AlertRecord[]): readonly AlertRecord[] {
    return alerts.filter((a) => !isFiring(a) || !isSilenced(ctx.state.silences, a.labels, ctx.nowMs));
  }
}

/** When a group's escalation step is due: `after` counted from the first page (step 0), or from the
 *  group's creation while nobody has been paged yet. */
export function stepDueAtMs(group: GroupState, step: StepState): number {
  return (group.steps[0]?.triggeredAtMs ?? group.createdAtMs) + step.afterMs;
}

/** Escalation timer: a later step's receiver hears nothing until `after` has passed since the first
 *  page with the group neither acknowledged nor resolved. Once triggered, it follows the group like the
 *  first receiver (updates, repeats, resolved notice). */
export class StepWaitStage implements Stage {
  readonly name = 'step-wait';
  exec(ctx: NotifyContext, alerts: readonly AlertRecord[]): readonly AlertRecord[] {
    if (ctx.step.triggeredAtMs !== undefined) return alerts;
    if (ctx.group.ack) return [];
    if (ctx.nowMs < stepDueAtMs(ctx.group, ctx.step)) return [];
    return alerts.some(isFiring) ? alerts : [];
  }
}

/** Alertmanager's DedupStage against the notification log, plus acknowledgement: an ack stops repeats,
 *  and a Slack message is updated once to show who acknowledged. */
export class DedupStage implements Stage {
  readonly name = 'dedup';
  exec(ctx: NotifyContext, alerts: readonly AlertRecord[]): readonly AlertRecord[] {
    const entry = ctx.state.nflog[nflogKey(ctx.group.id, ctx.integrationKey)];
    return needsUpdate(ctx, entry, alerts) ? alerts : [];
  }
}

function needsUpdate(ctx: NotifyContext, entry: NotificationLogEntry | undefined, alerts: readonly AlertRecord[]): boolean {
  const firing = alerts.filter(isFiring).map((a) => a.id);
  if (!entry) return firing.length > 0;
  const told = new Set(entry.firing);
  if (firing.some((id) => !told.has(id))) return true;
  if (firing.length === 0) return entry.firing.length > 0;
  const newlyResolved = alerts.filter((a) => !isFiring(a) && told.has(a.id) && !entry.resolved.includes(a.id));
  if (newlyResolved.length > 0 && ctx.integration.sendResolved) return true;
  if (ctx.group.ack) return ctx.integration.type === 'slack' && !entry.acked;
  return entry.atMs + ctx.group.route.repeatIntervalMs <= ctx.nowMs;
}

/** Renders the notification and writes it to the outbox (the outbox delivers and retries). */
export class NotifyStage implements Stage {
  readonly name = 'notify';
  exec(ctx: NotifyContext, alerts: readonly AlertRecord[]): readonly AlertRecord[] {
    const key = nflogKey(ctx.group.id, ctx.integrationKey);
    const previous = ctx.state.nflog[key];
    const view = buildView({
      policy: ctx.policy,
      group: ctx.group,
      alerts,
      previous,
      nowMs: ctx.nowMs,
      escalatedAfterMs: ctx.stepIndex > 0 ? ctx.step.afterMs : undefined,
    });
    if (view.status === 'resolved' && !ctx.integration.sendResolved) return alerts;
    const id = `n${++ctx.state.seq}`;
    const payload = this.payload(ctx, view, previous, id, key);
    if (!payload) return alerts;
    ctx.state.outbox.push({
      id,
      integration: ctx.integrationKey,
      receiver: ctx.receiver,
      groupId: ctx.group.id,
      createdAtMs: ctx.nowMs,
      payload,
      attempts: 0,
      nextAttemptAtMs: ctx.nowMs,
      done: [],
    });
    return alerts;
  }

  private payload(ctx: NotifyContext, view: ReturnType<typeof buildView>, previous: NotificationLogEntry | undefined, id: string, key: string): OutboxPayload | undefined {
    const config = ctx.integration;
    if (config.type === 'slack') {
      const message = slackMessage(view);
      return { kind: 'slack', channel: config.channel, text: message.text, blocks: message.blocks, reply: previous ? slackHistoryLine(view) : undefined };
    }
    const partner = groupPartner(ctx);
    const contacts = config.toPartnerContacts && partner !== undefined ? (ctx.policy.partners[partner]?.contacts ?? []).map((c) => c.email) : [];
    if (config.toPartnerContacts && contacts.length === 0) {
      ctx.log(`escalation: no contacts for partner ${JSON.stringify(partner ?? '')} in the contacts file (receiver ${ctx.receiver})`);
    }
    const to = [...new Set([...config.to, ...contacts])];
    if (to.length === 0) return undefined;
    const mail = emailMessage(view);
    const messageId = `<${id}.${ctx.group.id}@integration-sentinel>`;
    const inReplyTo = ctx.state.emailThreads[key];
    if (!inReplyTo) ctx.state.emailThreads[key] = messageId;
    return { kind: 'email', to, subject: mail.subject, text: mail.text, html: mail.html, messageId, inReplyTo };
  }
}

/** The one partner a group is about; undefined when it holds several (never mail one partner about another). */
function groupPartner(ctx: NotifyContext): string | undefined {
  if (ctx.group.labels.partner !== undefined) return ctx.group.labels.partner;
  const partners = new Set(Object.values(ctx.group.alerts).map((a) => a.labels.partner));
  return partners.size === 1 ? [...partners][0] : undefined;
}

/** Records what the receiver was told (Alertmanager's SetNotifiesStage). The outbox guarantees delivery,
 *  so the log is written when the notification is committed to the outbox, not when it lands: a Slack
 *  outage then queues one notification per change instead of re-sending on every group_interval. */
export class SetNotifiesStage implements Stage {
  readonly name = 'set-notifies';
  exec(ctx: NotifyContext, alerts: readonly AlertRecord[]): readonly AlertRecord[] {
    const key = nflogKey(ctx.group.id, ctx.integrationKey);
    const previous = ctx.state.nflog[key];
    const told = new Set(previous?.firing ?? []);
    ctx.state.nflog[key] = {
      firing: alerts.filter(isFiring).map((a) => a.id),
      resolved: alerts.filter((a) => !isFiring(a) && told.has(a.id)).map((a) => a.id),
      atMs: ctx.nowMs,
      acked: ctx.group.ack !== undefined,
      count: (previous?.count ?? 0) + 1,
    };
    if (ctx.step.triggeredAtMs === undefined) ctx.step.triggeredAtMs = ctx.nowMs;
    return alerts;
  }
}

/** The stages every integration runs, in order. */
export function pipeline(): readonly Stage[] {
  return [new InhibitStage(), new SilenceStage(), new StepWaitStage(), new DedupStage(), new NotifyStage(), new SetNotifiesStage()];
}

export function runPipeline(stages: readonly Stage[], ctx: NotifyContext, alerts: readonly AlertRecord[]): readonly AlertRecord[] {
  let current = alerts;
  for (const stage of stages) {
    current = stage.exec(ctx, current);
    if (current.length === 0) return current;
  }
  return current;
}
