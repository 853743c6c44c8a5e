// From validated YAML to the typed policy: defaults filled in, children inheriting from parents
// (as Alertmanager's route tree does), contacts joined in. After this, nothing re-checks the policy.
import { dirname, resolve } from 'node:path';
import { loadYamlFile } from '../config/load.js';
import type { LoadResult } from '../config/types.js';
import { contactsFileSchema, DEFAULT_GROUP_BY, DEFAULT_RENDER_LABELS, policyFileSchema, type RawContacts, type RawEscalation, type RawRoute } from './schema.js';
import type { EmailConfig, EscalationPolicy, IntegrationConfig, Partner, Receiver, Route, SlackConfig } from './types.js';

/** Alertmanager's defaults, so a policy without timers behaves as a Prometheus user expects. */
export const ROUTE_DEFAULTS = {
  groupBy: DEFAULT_GROUP_BY,
  groupWaitMs: 30_000,
  groupIntervalMs: 5 * 60_000,
  repeatIntervalMs: 4 * 3_600_000,
  resolveTimeoutMs: 5 * 60_000,
  receiverTimeoutMs: 20_000,
};

const SLACK_API_URL = 'https://slack.com/api/';

/** Reads the `escalation:` section of sentinel.yaml and the contacts file it names. */
export async function loadPolicyFile(file: string): Promise<LoadResult<EscalationPolicy>> {
  const loaded = await loadYamlFile(file, policyFileSchema);
  if (!loaded.ok) return loaded;
  return policyFromRaw(loaded.value.escalation, dirname(resolve(file)));
}

/** For a service whose own schema embeds `escalationSchema`: contacts_file is resolved against `baseDir`. */
export async function policyFromRaw(raw: RawEscalation, baseDir: string): Promise<LoadResult<EscalationPolicy>> {
  let contacts: RawContacts = { partners: {} };
  if (raw.contacts_file !== undefined) {
    const loaded = await loadYamlFile(resolve(baseDir, raw.contacts_file), contactsFileSchema);
    if (!loaded.ok) return loaded;
    contacts = loaded.value;
  }
  return { ok: true, value: buildPolicy(raw, contacts) };
}

export function buildPolicy(raw: RawEscalation, contacts: RawContacts): EscalationPolicy {
  const g = raw.global ?? {};
  const receivers: Receiver[] = raw.receivers.map((r) => {
    const slack: SlackConfig[] = (r.slack_configs ?? []).map((s) => ({
      type: 'slack',
      channel: s.channel,
      apiUrl: s.api_url ?? g.slack_api_url ?? SLACK_API_URL,
      tokenEnv: s.token_env ?? g.slack_token_env ?? 'SLACK_BOT_TOKEN',
      sendResolved: s.send_resolved ?? true,
    }));
    const email: EmailConfig[] = (r.email_configs ?? []).map((e) => ({
      type: 'email',
      to: e.to === undefined ? [] : Array.isArray(e.to) ? e.to : [e.to],
      toPartnerContacts: e.to_partner_contacts ?? false,
      from: (e.from ?? g.smtp_from)!,
      smarthost: (e.smarthost ?? g.smtp_smarthost)!,
      authUsername: e.auth_username ?? g.smtp_auth_username,
      authPasswordEnv: e.auth_password_env ?? g.smtp_auth_password_env,
      requireTls: e.require_tls ?? g.smtp_require_tls ?? false,
      sendResolved: e.send_resolved ?? true,
    }));
    return { name: r.name, integrations: [...slack, ...email] as IntegrationConfig[] };
  });
  const partners: Record<string, Partner> = {};
  for (const [key, p] of Object.entries(contacts.partners)) {
    partners[key] = { name: p.name, contacts: p.contacts, escalationNote: p.escalation_note };
  }
  return {
    route: buildRoute(raw.route, undefined),
    inhibitRules: (raw.inhibit_rules ?? []).map((r) => ({ sourceMatchers: r.source_matchers, targetMatchers: r.target_matchers, equal: r.equal ?? [] })),
    receivers,
    partners,
    renderLabels: raw.render_labels ?? [...DEFAULT_RENDER_LABELS],
    dashboardUrl: raw.dashboard_url,
    slackSigningSecretEnv: g.slack_signing_secret_env ?? 'SLACK_SIGNING_SECRET',
    resolveTimeoutMs: g.resolve_timeout ?? ROUTE_DEFAULTS.resolveTimeoutMs,
    receiverTimeoutMs: g.receiver_timeout ?? ROUTE_DEFAULTS.receiverTimeoutMs,
  };
}

function buildRoute(raw: RawRoute, parent: Route | undefined): Route {
  const route: Route = {
    receiver: raw.receiver ?? parent!.receiver,
    matchers: raw.matchers ?? [],
    groupBy: raw.group_by ?? parent?.groupBy ?? ROUTE_DEFAULTS.groupBy,
    groupWaitMs: raw.group_wait ?? parent?.groupWaitMs ?? ROUTE_DEFAULTS.groupWaitMs,
    groupIntervalMs: raw.group_interval ?? parent?.groupIntervalMs ?? ROUTE_DEFAULTS.groupIntervalMs,
    repeatIntervalMs: raw.repeat_interval ?? parent?.repeatIntervalMs ?? ROUTE_DEFAULTS.repeatIntervalMs,
    continue: raw.continue ?? false,
    steps: raw.steps ? raw.steps.map((s) => ({ afterMs: s.after, receiver: s.receiver })) : (parent?.steps ?? []),
    routes: [],
  };
  return { ...route, routes: (raw.routes ?? []).map((child) => buildRoute(child, route)) };
}
