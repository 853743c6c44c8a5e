// The escalation contract: the escalator drivers call and what it answers (the policy's types live in
// src/policy/, the plain-JSON state in state.ts).
//
// Modelled on Alertmanager (dispatch/dispatch.go, notify/notify.go, silence/): a route tree sends each
// alert to an alert group (one per label set, its own timers); each flush of a group runs a pipeline of
// small stages per receiver integration (mute, step wait, dedup, notify, set notifies). Time is always an
// argument: the escalator never reads the wall clock, so `sentinel run` (Date.now()) and
// `sentinel backtest --notify` (the recording's clock) drive the very same code.

import type { LabelMatcher } from '../config/selector.js';
import type { AlertEvent, Labels } from '../model/index.js';
import type { EscalationPolicy } from '../policy/types.js';

export type { LabelMatcher } from '../config/selector.js';

// ---------------------------------------------------------------------------------------------------
// The escalator (src/escalate/escalator.ts: createEscalator)

export interface SilenceInput {
  readonly matchers: readonly LabelMatcher[] | readonly string[];
  readonly startsAtMs?: number;
  readonly endsAtMs: number;
  readonly createdBy: string;
  readonly comment: string;
}

export type SilenceStatus = 'pending' | 'active' | 'expired';

export interface Silence {
  readonly id: string;
  readonly matchers: readonly LabelMatcher[];
  readonly startsAtMs: number;
  readonly endsAtMs: number;
  readonly createdBy: string;
  readonly comment: string;
  readonly updatedAtMs: number;
}

export interface SilenceView extends Silence {
  readonly status: SilenceStatus;
}

export interface AlertGroupView {
  /** Stable id of this group (one incident); what `POST /api/alerts/{id}/ack` and Slack's button carry. */
  readonly id: string;
  /** The route's receiver this group belongs to. */
  readonly receiver: string;
  /** The group_by labels' values (allow-listed labels only). */
  readonly labels: Labels;
  readonly createdAtMs: number;
  readonly firingAlertIds: readonly string[];
  readonly resolvedAlertIds: readonly string[];
  readonly acknowledged?: { readonly by: string; readonly atMs: number };
  /** Receivers of the steps already triggered (step 0 included). */
  readonly escalatedTo: readonly string[];
}

export interface ReceiverCounters {
  /** Notifications delivered. */
  sent: number;
  /** Failed delivery attempts (each retry counts). */
  failed: number;
  /** Notifications in the outbox, not yet delivered. */
  pending: number;
}

export type AckResult =
  | { readonly ok: true; readonly groupId: string }
  | { readonly ok: false; readonly reason: 'not_found' };

export interface Escalator {
  /** Feed detector transitions (pending events are ignored), then run every timer due at `nowMs` and
   *  deliver what is due. Call it for every evaluation, even with no events, so timers progress. */
  handle(events: readonly AlertEvent[], nowMs: number): Promise<void>;
  /** Run timers and deliveries due at `nowMs` (group flushes, escalation steps, outbox retries). */
  tick(nowMs: number): Promise<void>;
  /** Only deliver what the outbox has due at `nowMs` (no group timers): for draining at the end of a replay. */
  deliver(nowMs: number): Promise<void>;
  /** Acknowledge by alert-group id (or by an alert id: acks the groups holding it). Stops repeats and
   *  further escalation steps; Slack's message is updated to show who acknowledged. */
  ack(id: string, by: string, nowMs: number): Promise<AckResult>;
  /** Slack's Silence button: silences the group's labels for `durationMs` (acknowledging it too), and
   *  updates the message to show the silence. */
  silenceGroup(groupId: string, durationMs: number, by: string, nowMs: number, comment?: string): Promise<{ readonly ok: true; readonly silence: SilenceView } | { readonly ok: false; readonly reason: string }>;
  /** Slack's Silence… button: opens the modal for a duration and a comment (views.open with the click's
   *  trigger_id), through the Slack integration the group's page went out with. */
  openSilenceModal?(groupId: string, triggerId: string): Promise<{ readonly ok: true } | { readonly ok: false; readonly reason: string }>;
  readonly silences: {
    list(nowMs: number): SilenceView[];
    get(id: string, nowMs: number): SilenceView | undefined;
    /** Throws SilenceError (message + fix) on bad matchers or times. */
    create(input: SilenceInput, nowMs: number): Promise<SilenceView>;
    /** Ends the silence now (Alertmanager's DELETE = expire). False when unknown or already expired. */
    expire(id: string, nowMs: number): Promise<boolean>;
  };
  groups(): AlertGroupView[];
  /** Per receiver name: plain numbers for the service's /metrics. */
  counters(): Readonly<Record<string, ReceiverCounters>>;
  /** After an evaluation, the ids of the alerts the detector still holds firing: a firing alert missing
   *  for resolve_timeout is resolved (and the receivers told). Returns how many were resolved. */
  reconcile?(activeAlertIds: readonly string[], nowMs: number): Promise<number>;
  /** The latest instant the saved state knows (an event, a flush, a silence), so a restarted clock never
   *  runs behind its own timers; undefined for a fresh state. */
  savedUpToMs?(): number | undefined;
  /** After a reload, the rule names still defined: alerts of any other rule resolve now. */
  retireRules?(ruleNames: readonly string[], nowMs: number): Promise<number>;
  /** Swap in a reloaded policy (SIGHUP); groups, silences, acks and the outbox carry over. */
  reload(policy: EscalationPolicy): Promise<void>;
  /** Close SMTP pools; pending outbox entries stay in the store for the next start. */
  close(): Promise<void>;
}

export interface EscalatorOptions {
  readonly policy: EscalationPolicy;
  /** Where groups, the notification log, the outbox, silences and acks live (`fileStore(dataDir)` in the
   *  service, `memoryStore()` in a backtest). Keys used: `escalation` (one JSON document). */
  readonly store: import('../store/types.js').DurableStore;
  /** Secrets are looked up here by the env NAMES the policy gives; defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** One line per delivery problem; never given a secret or a message body. Defaults to stderr. */
  readonly log?: (line: string) => void;
  /** How long handle/tick/ack/deliver wait for the deliveries they started before returning (real
   *  milliseconds); the rest goes on in the background. Unset: until delivered (backtests, tests). The
   *  service sets it, so a stuck receiver never holds up an evaluation or an API answer. */
  readonly deliveryWaitMs?: number;
  /** Hard deadline of one delivery attempt; default the policy's receiver_timeout + 5 s. */
  readonly attemptDeadlineMs?: number;
  /** Called for every failed state write (the service counts them); the log gets one line a minute. */
  readonly onWriteFailure?: (error: Error) => void;
}

/** Factory (src/escalate/escalator.ts): `createEscalator(options): Promise<Escalator>` restores the state
 *  from the store and is ready for handle()/tick(). */
export type CreateEscalator = (options: EscalatorOptions) => Promise<Escalator>;
