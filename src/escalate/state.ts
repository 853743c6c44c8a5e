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
  /** The last evaluation whose active alerts still held it (resolve_timeout counts from here). */
  lastSeenAtMs?: number;
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
  silenced?: { readonly id: string; readonly by: string; readonly untilMs: number; readonly comment?: string };
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
  /** A notice about the group, not a new state of it: posted in the group's thread (or alone when the
   *  group has no message in this channel), never replacing the group's message. */
  readonly notice?: boolean;
  /** A chart PNG for the thread (files.uploadV2), rendered at delivery: at most one per update. */
  readonly chart?: ChartSpec;
}

/** What chart-png.ts draws: one alert's series with its band and span, and words already made safe. */
export interface ChartSpec extends AlertChart {
  readonly title: string;
  readonly kind?: string;
  /** The level the value must fall back below to resolve (the detector's explain), drawn dashed. */
  readonly exitLevel?: number;
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
  /** E-mail attempts whose reply was lost after the whole message went out (it may have arrived). */
  unconfirmed?: number;
  /** Set (and written down) when an e-mail attempt has sent the end of DATA and awaits the reply. */
  dataSentAtMs?: number;
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

/** The saved state, or a fresh one when there is none. A document of another version or shape is set
 *  aside (the store renames it with a timestamp) and the escalator starts empty: groups and silences are
 *  lost, but the service runs and the detector's next transitions open new incidents. */
export async function loadState(store: DurableStore, log: (line: string) => void = () => undefined): Promise<EscalationState> {
  const stored = await store.read<EscalationState>(STATE_KEY);
  if (stored === undefined) return emptyState();
  const problem = shapeProblem(stored);
  if (problem === undefined) return { ...emptyState(), ...stored };
  const movedTo = store.setAside ? await store.setAside(STATE_KEY, problem) : undefined;
  if (!movedTo) throw new Error(`escalation state: ${problem}: move the data directory's ${STATE_KEY}.json aside`);
  log(`escalation: the saved escalation state was unusable (${problem}); moved to ${movedTo}, starting with no groups or silences. Fix: nothing to do; look at that file if silences must be recreated`);
  return emptyState();
}

function shapeProblem(stored: unknown): string | undefined {
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return 'not a JSON object';
  const s = stored as Partial<Record<keyof EscalationState, unknown>>;
  if (s.version !== STATE_VERSION) return `version ${JSON.stringify(s.version)} is not ${STATE_VERSION}`;
  const isRecord = (v: unknown): boolean => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (typeof s.seq !== 'number' || !Number.isFinite(s.seq)) return 'seq is not a number';
  for (const key of ['groups', 'nflog', 'slackMessages', 'emailThreads', 'slackChannelIds'] as const) {
    if (s[key] !== undefined && !isRecord(s[key])) return `${key} is not an object`;
  }
  for (const key of ['outbox', 'silences'] as const) if (s[key] !== undefined && !Array.isArray(s[key])) return `${key} is not a list`;
  for (const group of Object.values((s.groups ?? {}) as Record<string, unknown>)) {
    const g = group as Partial<GroupState> | null;
    if (!g || !isRecord(g) || !isRecord(g.alerts) || !Array.isArray(g.steps) || !isRecord(g.route) || typeof g.id !== 'string') return 'a group is malformed';
  }
  for (const entry of (s.outbox ?? []) as unknown[]) {
    const e = entry as Partial<OutboxEntry> | null;
    if (!e || !isRecord(e) || typeof e.id !== 'string' || typeof e.integration !== 'string' || !isRecord(e.payload) || !Array.isArray(e.done)) return 'an outbox entry is malformed';
  }
  return undefined;
}

/** Short stable id: readable in URLs and Slack button values, carries no label value. */
export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export function nflogKey(groupId: string, integration: string): string {
  return `${groupId}|${integration}`;
}
