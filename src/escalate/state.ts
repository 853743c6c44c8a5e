// Everything the escalator must remember across a SIGKILL, as one plain-JSON document written
// atomically after every change: a restart sees either the old or the new state, never half.
import { createHash } from 'node:crypto';
import type { Labels, Severity } from '../model/index.js';
import type { DurableStore } from '../store/types.js';
import type { AlertChart } from './chart-history.js';
import type { AlertExplain } from './message-content.js';
import type { Silence } from './types.js';
import type { Route } from '../policy/types.js';

export const STATE_KEY = 'escalation';
const STATE_VERSION = 1;

/** One alert as the escalator knows it (Alertmanager's types.Alert): routing labels include `rule` and `severity`. */
export interface AlertRecord {
  readonly id: string;
  readonly labels: Labels;
  readonly severity: Severity;
  /** When the detector says the alert became active (pending). */
  readonly activeSinceMs: number;
  /** When the escalator first saw it firing (its clock). */
  readonly firingSinceMs: number;
  /** Set when resolved; the alert stays in its group until a flush has told the receivers. */
  resolvedAtMs?: number;
  value: number;
  lastEventAtMs: number;
  /** The rule's own text for the message body (src/escalate/message-content.ts): its summary template
   *  (re-rendered from allow-listed labels), kind, runbook, and the detector's explain when it has one. */
  summaryTemplate?: string;
  kind?: string;
  runbook?: string;
  explain?: AlertExplain;
  /** The series, its band and the alert span, from the driver's ChartHistory (chart-history.ts). */
  chart?: AlertChart;
}

export interface StepState {
  readonly receiver: string;
  readonly afterMs: number;
  /** When this step's receiver was first notified; step 0 (the route's receiver) starts triggered. */
  triggeredAtMs?: number;
}

/** Alertmanager's aggrGroup: one per route and group_by label values, with its own timers. */
export interface GroupState {
  readonly id: string;
  /** Route path + group_by values: alerts with the same key join this group. */
  readonly key: string;
  /** Snapshot of the route at creation (children dropped), so a reload never changes an incident's timers. */
  readonly route: Omit<Route, 'routes'>;
  readonly labels: Labels;
  readonly createdAtMs: number;
  nextFlushAtMs: number;
  alerts: Record<string, AlertRecord>;
  ack?: { readonly by: string; readonly atMs: number };
  /** Set by Slack's Silence button: the silence it created, shown in the message. */
  silenced?: { readonly id: string; readonly by: string; readonly untilMs: number };
  steps: StepState[];
}

/** Alertmanager's nflog entry: what a receiver integration was last told about a group. */
export interface NotificationLogEntry {
  readonly firing: readonly string[];
  readonly resolved: readonly string[];
  readonly atMs: number;
  readonly acked: boolean;
  /** Number of notifications sent for this group to this integration (0 = first). */
  readonly count: number;
}

export interface SlackPayload {
  readonly kind: 'slack';
  readonly channel: string;
  readonly text: string;
  readonly blocks: readonly unknown[];
  /** Thread reply recording this change; absent for the first post (the message itself says it). */
  readonly reply?: string;
  /** A chart PNG for the thread (files.uploadV2), rendered at delivery: at most one per update. */
  readonly chart?: ChartSpec;
}

/** What chart-png.ts draws: one alert's series with its band and span, and words already made safe. */
export interface ChartSpec extends AlertChart {
  readonly title: string;
  readonly kind?: string;
}

export interface EmailPayload {
  readonly kind: 'email';
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly messageId: string;
  /** Message-ID of the group's first e-mail, so mail clients thread one incident together. */
  readonly inReplyTo?: string;
  /** Inlined in the HTML as cid:chart@integration-sentinel. */
  readonly chart?: ChartSpec;
}

export type OutboxPayload = SlackPayload | EmailPayload;

/** A notification written down before it is sent, kept until delivered. */
export interface OutboxEntry {
  readonly id: string;
  /** `${receiver}/${type}/${index}`: entries of one integration are delivered strictly in order. */
  readonly integration: string;
  readonly receiver: string;
  readonly groupId: string;
  readonly createdAtMs: number;
  readonly payload: OutboxPayload;
  attempts: number;
  nextAttemptAtMs: number;
  /** Parts already done (Slack: `post`, `update`, `reply`), so a retry never repeats one. */
  done: string[];
  /** Set before an attempt, cleared after: still set at startup means the outcome is unknown. */
  inFlightSinceMs?: number;
  /** An earlier attempt may have reached the receiver (crash, timeout): look before sending again. */
  uncertain?: boolean;
  lastError?: string;
}

export interface SlackMessageRef {
  readonly channel: string;
  readonly ts: string;
}

export interface EscalationState {
  version: number;
  seq: number;
  groups: Record<string, GroupState>;
  /** Keyed by `${groupId}|${integration}`. */
  nflog: Record<string, NotificationLogEntry>;
  outbox: OutboxEntry[];
  /** The Slack message of each group per integration (`${groupId}|${integration}`), updated in place. */
  slackMessages: Record<string, SlackMessageRef>;
  /** First e-mail Message-ID per `${groupId}|${integration}`. */
  emailThreads: Record<string, string>;
  /** Slack channel ids learned for configured names (`#integrations-oncall` -> `C0123`): history lookups need ids. */
  slackChannelIds: Record<string, string>;
  silences: Silence[];
}

export function emptyState(): EscalationState {
  return { version: STATE_VERSION, seq: 0, groups: {}, nflog: {}, outbox: [], slackMessages: {}, emailThreads: {}, slackChannelIds: {}, silences: [] };
}

export async function loadState(store: DurableStore): Promise<EscalationState> {
  const stored = await store.read<EscalationState>(STATE_KEY);
  if (!stored) return emptyState();
  if (stored.version !== STATE_VERSION) {
    throw new Error(`escalation state version ${stored.version} is not ${STATE_VERSION}: move the data directory's ${STATE_KEY}.json aside`);
  }
  return { ...emptyState(), ...stored };
}

/** Short stable id: readable in URLs and Slack button values, carries no label value. */
export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export function nflogKey(groupId: string, integration: string): string {
  return `${groupId}|${integration}`;
}
