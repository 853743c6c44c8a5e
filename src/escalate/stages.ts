// The notify pipeline, after Alertmanager's notify/notify.go: each stage is one type with one `exec`,
// built with what it depends on (the notification log, the integration, the rules) as fields, as
// Alertmanager's NewDedupStage(rs, nflog, recv) is; what changes per flush (the group, the instant)
// comes in the Flush, as Alertmanager's ctx carries the group key and `now`. A stage takes the alerts
// still in play and returns those that go on; an empty answer ends the pipeline. Stages are
// synchronous: the NotifyStage only writes into the outbox, which delivers (and retries) later.
import type { Labels } from '../model/index.js';
import type { EscalationPolicy, InhibitRule, IntegrationConfig } from '../policy/types.js';
import { emailMessage, slackHistoryLine, slackMessage } from './format.js';
import { isInhibited } from './inhibit.js';
import { buildView } from './notification.js';
import { isSilenced } from './silences.js';
import { nflogKey, type AlertRecord, type ChartSpec, type GroupState, type NotificationLogEntry, type OutboxEntry, type OutboxPayload, type StepState } from './state.js';
import type { Silence } from './types.js';

/** What one flush of one group hands every stage. */
export interface Flush {
  readonly group: GroupState;
  readonly nowMs: number;
  /** Labels of every firing alert the escalator knows, for inhibition. */
  readonly firingSources: readonly Labels[];
}

/** One receiver integration (Alertmanager's nflogpb.Receiver): `${receiver}/${type}/${index}`. */
export interface IntegrationRef {
  readonly receiver: string;
  readonly config: IntegrationConfig;
  readonly key: string;
}

/** Alertmanager's notification log: what each integration was last told per group. */
export type NotificationLog = Record<string, NotificationLogEntry>;

export interface Stage {
  readonly name: string;
  exec(flush: Flush, alerts: readonly AlertRecord[]): readonly AlertRecord[];
}

const isFiring = (a: AlertRecord): boolean => a.resolvedAtMs === undefined;

/** Mutes firing alerts held back by an inhibit rule. Resolved alerts pass, so a resolve is never lost. */
export class InhibitStage implements Stage {
  readonly name = 'inhibit';
  constructor(private readonly rules: readonly InhibitRule[]) {}
  exec(flush: Flush, alerts: readonly AlertRecord[]): readonly AlertRecord[] {
    if (this.rules.length === 0) return alerts;
    return alerts.filter((a) => !isFiring(a) || !isInhibited(this.rules, a.labels, flush.firingSources));
  }
}

/** Mutes firing alerts matched by an active silence. */
export class SilenceStage implements Stage {
  readonly name = 'silence';
  constructor(private readonly silences: readonly Silence[]) {}
  exec(flush: Flush, alerts: readonly AlertRecord[]): readonly AlertRecord[] {
    return alerts.filter((a) => !isFiring(a) || !isSilenced(this.silences, a.labels, flush.nowMs));
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
  constructor(private readonly step: StepState) {}
  exec(flush: Flush, alerts: readonly AlertRecord[]): readonly AlertRecord[] {
    if (this.step.triggeredAtMs !== undefined) return alerts;
    if (flush.group.ack) return [];
    if (flush.nowMs < stepDueAtMs(flush.group, this.step)) return [];
    return alerts.some(isFiring) ? alerts : [];
  }
}

/** Alertmanager's DedupStage against the notification log, plus acknowledgement: an ack stops repeats,
 *  and a Slack message is updated once to show who acknowledged. */
export class DedupStage implements Stage {
  readonly name = 'dedup';
  constructor(
    private readonly nflog: NotificationLog,
    private readonly integration: IntegrationRef,
  ) {}
  exec(flush: Flush, alerts: readonly AlertRecord[]): readonly AlertRecord[] {
    const entry = this.nflog[nflogKey(flush.group.id, this.integration.key)];
    return this.needsUpdate(flush, entry, alerts) ? alerts : [];
  }

  private needsUpdate(flush: Flush, entry: NotificationLogEntry | undefined, alerts: readonly AlertRecord[]): boolean {
    const firing = alerts.filter(isFiring).map((a) => a.id);
    if (!entry) return firing.length > 0;
    const told = new Set(entry.firing);
    if (firing.some((id) => !told.has(id))) return true;
    if (firing.length === 0) return entry.firing.length > 0;
    const newlyResolved = alerts.filter((a) => !isFiring(a) && told.has(a.id) && !entry.resolved.includes(a.id));
    if (newlyResolved.length > 0 && this.integration.config.sendResolved) return true;
    if (flush.group.ack) return this.integration.config.type === 'slack' && !entry.acked;
    return entry.atMs + flush.group.route.repeatIntervalMs <= flush.nowMs;
  }
}

/** Where the NotifyStage writes: the outbox, the e-mail threads, and the id counter of the state. */
export interface OutboxWriter {
  readonly outbox: OutboxEntry[];
  /** First e-mail Message-ID per `${groupId}|${integration}`. */
  readonly emailThreads: Record<string, string>;
  nextId(): string;
}

/** Renders the notification and writes it to the outbox (the outbox delivers and retries). */
export class NotifyStage implements Stage {
  readonly name = 'notify';
  constructor(
    private readonly policy: EscalationPolicy,
    private readonly nflog: NotificationLog,
    private readonly writer: OutboxWriter,
    private readonly integration: IntegrationRef,
    /** The escalation step this receiver belongs to for the group, and its index (0: the route's receiver). */
    private readonly step: { readonly state: StepState; readonly index: number },
    private readonly log: (line: string) => void,
  ) {}

  exec(flush: Flush, alerts: readonly AlertRecord[]): readonly AlertRecord[] {
    const key = nflogKey(flush.group.id, this.integration.key);
    const previous = this.nflog[key];
    const view = buildView({
      policy: this.policy,
      group: flush.group,
      alerts,
      previous,
      nowMs: flush.nowMs,
      escalatedAfterMs: this.step.index > 0 ? this.step.state.afterMs : undefined,
    });
    if (view.status === 'resolved' && !this.integration.config.sendResolved) return alerts;
    const id = this.writer.nextId();
    const payload = this.payload(flush, view, previous, id, key, alerts);
    if (!payload) return alerts;
    this.writer.outbox.push({
      id,
      integration: this.integration.key,
      receiver: this.integration.receiver,
      groupId: flush.group.id,
      createdAtMs: flush.nowMs,
      payload,
      attempts: 0,
      nextAttemptAtMs: flush.nowMs,
      done: [],
    });
    return alerts;
  }

  private payload(flush: Flush, view: ReturnType<typeof buildView>, previous: NotificationLogEntry | undefined, id: string, key: string, alerts: readonly AlertRecord[]): OutboxPayload | undefined {
    const config = this.integration.config;
    if (config.type === 'slack') {
      const message = slackMessage(view);
      const chart = chartFor(view, alerts, previous);
      return { kind: 'slack', channel: config.channel, text: message.text, blocks: message.blocks, reply: previous ? slackHistoryLine(view) : undefined, ...(chart ? { chart } : {}) };
    }
    const partner = groupPartner(flush.group);
    const contacts = config.toPartnerContacts && partner !== undefined ? (this.policy.partners[partner]?.contacts ?? []).map((c) => c.email) : [];
    if (config.toPartnerContacts && contacts.length === 0) {
      this.log(`escalation: no contacts for partner ${JSON.stringify(partner ?? '')} in the contacts file (receiver ${this.integration.receiver})`);
    }
    const to = [...new Set([...config.to, ...contacts])];
    if (to.length === 0) return undefined;
    const mail = emailMessage(view);
    const messageId = `<${id}.${flush.group.id}@integration-sentinel>`;
    const inReplyTo = this.writer.emailThreads[key];
    if (!inReplyTo) this.writer.emailThreads[key] = messageId;
    const chart = chartFor(view, alerts, undefined);
    return { kind: 'email', to, subject: mail.subject, text: mail.text, html: mail.html, messageId, inReplyTo, ...(chart ? { chart } : {}) };
  }
}

/** One chart per update, on the page and on the resolve (not on every repeat): the first alert that has one. */
function chartFor(view: ReturnType<typeof buildView>, alerts: readonly AlertRecord[], previous: NotificationLogEntry | undefined): ChartSpec | undefined {
  if (previous && view.status === 'firing' && view.changes.every((c) => c.startsWith('still firing') || c.startsWith('acknowledged'))) return undefined;
  const shown = new Set([...view.firing, ...view.resolved].map((a) => a.id));
  const withChart = alerts.find((a) => a.chart !== undefined && shown.has(a.id));
  if (!withChart?.chart) return undefined;
  const exitLevel = withChart.explain?.exitLevel;
  return { ...withChart.chart, title: view.title, ...(withChart.kind ? { kind: withChart.kind } : {}), ...(exitLevel !== undefined ? { exitLevel } : {}) };
}

/** The one partner a group is about; undefined when it holds several (never mail one partner about another). */
function groupPartner(group: GroupState): string | undefined {
  if (group.labels.partner !== undefined) return group.labels.partner;
  const partners = new Set(Object.values(group.alerts).map((a) => a.labels.partner));
  return partners.size === 1 ? [...partners][0] : undefined;
}

/** Records what the receiver was told (Alertmanager's SetNotifiesStage). The outbox guarantees delivery,
 *  so the log is written when the notification is committed to the outbox, not when it lands: a Slack
 *  outage then queues one notification per change instead of re-sending on every group_interval. */
export class SetNotifiesStage implements Stage {
  readonly name = 'set-notifies';
  constructor(
    private readonly nflog: NotificationLog,
    private readonly integration: IntegrationRef,
    private readonly step: StepState,
  ) {}
  exec(flush: Flush, alerts: readonly AlertRecord[]): readonly AlertRecord[] {
    const key = nflogKey(flush.group.id, this.integration.key);
    const previous = this.nflog[key];
    const told = new Set(previous?.firing ?? []);
    this.nflog[key] = {
      firing: alerts.filter(isFiring).map((a) => a.id),
      resolved: alerts.filter((a) => !isFiring(a) && told.has(a.id)).map((a) => a.id),
      atMs: flush.nowMs,
      acked: flush.group.ack !== undefined,
      count: (previous?.count ?? 0) + 1,
    };
    if (this.step.triggeredAtMs === undefined) this.step.triggeredAtMs = flush.nowMs;
    return alerts;
  }
}

export function runPipeline(stages: readonly Stage[], flush: Flush, alerts: readonly AlertRecord[]): readonly AlertRecord[] {
  let current = alerts;
  for (const stage of stages) {
    current = stage.exec(flush, current);
    if (current.length === 0) return current;
  }
  return current;
}
