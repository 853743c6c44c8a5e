// The escalation policy as the rest of the system sees it: what `escalation:` in sentinel.yaml parses
// into (schema.ts validates, load.ts builds), trusted once built. Escalation, the service and the
// Alertmanager compile target all read these types; none of them owns them.
import type { LabelMatcher } from '../config/selector.js';

export type { LabelMatcher } from '../config/selector.js';

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
  /** A firing alert the detector no longer reports is resolved after this long (Alertmanager's
   *  resolve_timeout; default 5m). */
  readonly resolveTimeoutMs: number;
  /** Hard deadline of one delivery attempt to any receiver, whatever it does (default 20s). */
  readonly receiverTimeoutMs: number;
}
