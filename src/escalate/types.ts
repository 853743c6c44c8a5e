// The escalation contract: the typed policy (what `escalation:` in sentinel.yaml parses into), the
// escalator drivers call, and the plain-JSON state it keeps in a DurableStore.
//
// Modelled on Alertmanager (dispatch/dispatch.go, notify/notify.go, silence/): a route tree sends each
// alert to an alert group (one per label set, its own timers); each flush of a group runs a pipeline of
// small stages per receiver integration (mute, step wait, dedup, notify, set notifies). Time is always an
// argument: the escalator never reads the wall clock, so `sentinel run` (Date.now()) and
// `sentinel backtest --notify` (the recording's clock) drive the very same code.

import type { LabelMatcher } from '../config/selector.js';
import type { AlertEvent, Labels } from '../model/index.js';

export type { LabelMatcher } from '../config/selector.js';

// ---------------------------------------------------------------------------------------------------
// Policy (parsed and validated once by schema.ts; trusted inside)

/** One node of the route tree. Children inherit every timing/grouping field they leave unset. */
export interface Route {
  /** Name of the receiver paged at once ("step 0"). */
  readonly receiver: string;
  /** All must match the alert's labels (Alertmanager `matchers`). Empty at the root. */
  readonly matchers: readonly LabelMatcher[];
  /** Labels that split alerts into groups; `['...']` means every label (one group per alert). */
  readonly groupBy: readonly string[];
  readonly groupWaitMs: number;
  readonly groupIntervalMs: number;
  readonly repeatIntervalMs: number;
  /** Keep matching sibling routes after this one matched (Alertmanager `continue`). */
  readonly continue: boolean;
  /** Escalation after the first page: each step's receiver is notified when the group has been firing
   *  `afterMs`, neither acknowledged nor resolved. From then on it also gets updates and resolved notices. */
  readonly steps: readonly EscalationStep[];
  readonly routes: readonly Route[];
}

export interface EscalationStep {
  readonly afterMs: number;
  readonly receiver: string;
}

/** Alertmanager inhibit_rules: a firing source alert mutes target alerts that agree on every `equal` label. */
export interface InhibitRule {
  readonly sourceMatchers: readonly LabelMatcher[];
  readonly targetMatchers: readonly LabelMatcher[];
  readonly equal: readonly string[];
}

export interface SlackConfig {
  readonly type: 'slack';
  /** Channel id or name, e.g. `#integrations-oncall`. */
  readonly channel: string;
  /** Slack Web API base URL (`https://slack.com/api/`); tests and demos point it at a local server. */
  readonly apiUrl: string;
  /** NAME of the environment variable holding the bot token; the token itself never enters the policy. */
  readonly tokenEnv: string;
  readonly sendResolved: boolean;
}

export interface EmailConfig {
  readonly type: 'email';
  /** Fixed addresses; may be empty when `toPartnerContacts` is set. */
  readonly to: readonly string[];
  /** Add the contacts (from the contacts file) of the partner named by the group's `partner` label. */
  readonly toPartnerContacts: boolean;
  readonly from: string;
  /** `host:port`, as Alertmanager's `smarthost`. */
  readonly smarthost: string;
  readonly authUsername?: string;
  /** NAME of the environment variable holding the SMTP password. */
  readonly authPasswordEnv?: string;
  /** Use STARTTLS/TLS; off for loopback test servers. */
  readonly requireTls: boolean;
  readonly sendResolved: boolean;
}

export type IntegrationConfig = SlackConfig | EmailConfig;

export interface Receiver {
  readonly name: string;
  /** Slack configs first, then e-mail configs, in file order. Integration key: `${receiver}/${type}/${index}`. */
  readonly integrations: readonly IntegrationConfig[];
}

export interface PartnerContact {
  readonly name: string;
  readonly email: string;
}

export interface Partner {
  /** Display name, e.g. "Elation Health"; the key in the contacts file is the `partner` label value. */
  readonly name: string;
  readonly contacts: readonly PartnerContact[];
  /** The partner's own escalation note, printed in every e-mail to them (e.g. their support phone). */
  readonly escalationNote?: string;
}

export interface EscalationPolicy {
  readonly route: Route;
  readonly inhibitRules: readonly InhibitRule[];
  readonly receivers: readonly Receiver[];
  /** Keyed by the `partner` label value. */
  readonly partners: Readonly<Record<string, Partner>>;
  /** Only these label names are ever rendered into a message (no patient data: labels only, never bodies). */
  readonly renderLabels: readonly string[];
  /** Base dashboard link; `{label}` placeholders are filled from allow-listed labels (URL-encoded). */
  readonly dashboardUrl?: string;
  /** NAME of the environment variable holding the Slack signing secret (interactivity endpoint). */
  readonly slackSigningSecretEnv: string;
}

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

/** What the HTTP layer answers Slack's interactivity request with. */
export interface InteractionResult {
  readonly status: number;
  readonly body: string;
}

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
  /** Verify (v0 HMAC, 5-minute window) and act on a Slack interactivity POST (`payload=` form body). */
  handleSlackInteraction(rawBody: string, headers: Readonly<Record<string, string | string[] | undefined>>, nowMs: number): Promise<InteractionResult>;
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
}

/** Factory (src/escalate/escalator.ts): `createEscalator(options): Promise<Escalator>` restores the state
 *  from the store and is ready for handle()/tick(). */
export type CreateEscalator = (options: EscalatorOptions) => Promise<Escalator>;
