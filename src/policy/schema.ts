// The `escalation:` section of sentinel.yaml, in Alertmanager's own words (route, matchers, group_by,
// group_wait, group_interval, repeat_interval, continue, inhibit_rules, receivers, slack_configs,
// email_configs, send_resolved, smarthost), plus what Alertmanager lacks: escalation `steps`, partner
// contacts, a label allow-list. Secrets are never values here, only the NAMES of environment variables.
import { z } from 'zod';
import { durationMs } from '../config/duration.js';
import { closestWord } from '../config/suggest.js';
import { parseMatcher, MatcherError } from './matchers.js';

/** One Alertmanager-style matcher string (`partner="elation"`, `severity=~"critical|warning"`). */
export const matcherSchema = z.string().transform((text, ctx) => {
  try {
    return parseMatcher(text);
  } catch (error) {
    if (!(error instanceof MatcherError)) throw error;
    ctx.issues.push({ code: 'custom', input: text, message: error.message, params: { fix: error.fix } });
    return z.NEVER;
  }
});

const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'label names are letters, digits and _');
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable NAME (e.g. SLACK_BOT_TOKEN), not the secret itself');

const stepSchema = z.strictObject({
  after: durationMs,
  receiver: z.string().min(1),
});

export interface RawRoute {
  receiver?: string;
  matchers?: ReturnType<typeof parseMatcher>[];
  group_by?: string[];
  group_wait?: number;
  group_interval?: number;
  repeat_interval?: number;
  continue?: boolean;
  steps?: { after: number; receiver: string }[];
  routes?: RawRoute[];
}

export const routeSchema: z.ZodType<RawRoute> = z.strictObject({
  receiver: z.string().min(1).optional(),
  matchers: z.array(matcherSchema).optional(),
  group_by: z.array(z.union([labelName, z.literal('...')])).optional(),
  group_wait: durationMs.optional(),
  group_interval: durationMs.optional(),
  repeat_interval: durationMs.optional(),
  continue: z.boolean().optional(),
  steps: z.array(stepSchema).optional(),
  get routes() {
    return z.array(routeSchema).optional();
  },
}) as unknown as z.ZodType<RawRoute>;

const slackConfigSchema = z.strictObject({
  channel: z.string().min(1),
  api_url: z.url().optional(),
  token_env: envName.optional(),
  send_resolved: z.boolean().optional(),
});

const emailConfigSchema = z.strictObject({
  to: z.union([z.email(), z.array(z.email())]).optional(),
  to_partner_contacts: z.boolean().optional(),
  from: z.string().optional(),
  smarthost: z.string().regex(/^[^:\s]+:\d+$/, 'write smarthost as host:port, e.g. smtp.example.org:587').optional(),
  auth_username: z.string().optional(),
  auth_password_env: envName.optional(),
  require_tls: z.boolean().optional(),
  send_resolved: z.boolean().optional(),
});

const receiverSchema = z.strictObject({
  name: z.string().min(1),
  slack_configs: z.array(slackConfigSchema).optional(),
  email_configs: z.array(emailConfigSchema).optional(),
});

const inhibitRuleSchema = z.strictObject({
  source_matchers: z.array(matcherSchema).min(1),
  target_matchers: z.array(matcherSchema).min(1),
  equal: z.array(labelName).optional(),
});

const globalSchema = z.strictObject({
  slack_api_url: z.url().optional(),
  slack_token_env: envName.optional(),
  slack_signing_secret_env: envName.optional(),
  smtp_smarthost: z.string().regex(/^[^:\s]+:\d+$/, 'write smtp_smarthost as host:port, e.g. smtp.example.org:587').optional(),
  smtp_from: z.string().optional(),
  smtp_auth_username: z.string().optional(),
  smtp_auth_password_env: envName.optional(),
  smtp_require_tls: z.boolean().optional(),
  /** Alertmanager's resolve_timeout: an alert the detector stops reporting is resolved after this. */
  resolve_timeout: durationMs.optional(),
  /** Hard deadline of one delivery attempt (connect, every command, the whole message or Slack call). */
  receiver_timeout: durationMs.optional(),
});

/** Alertmanager groups by alertname; we group a partner's alerts of one rule together. */
export const DEFAULT_GROUP_BY: readonly string[] = ['rule', 'partner'];

export const DEFAULT_RENDER_LABELS = [
  'rule', 'severity', 'partner', 'operation', 'error_code', 'previous_error_code', 'outcome',
  'zone', 'db_operation_name', 'db_system_name', 'queue', 'event_type',
  // slo_burn's page or ticket: `page` / `ticket`, never anything else.
  'slo_alert',
] as const;

/** The `escalation:` mapping. Cross-references (receiver names) are checked here so every error is
 *  reported with its file:line in one run. */
const escalationShape = z.strictObject({
  global: globalSchema.optional(),
  contacts_file: z.string().optional(),
  dashboard_url: z.string().optional(),
  render_labels: z.array(labelName).optional(),
  route: routeSchema,
  inhibit_rules: z.array(inhibitRuleSchema).optional(),
  receivers: z.array(receiverSchema).min(1),
});

export const escalationSchema = escalationShape
  // `when`: run the cross-reference checks even when a field failed, so one run reports every error.
  .superRefine((policy, ctx) => {
    if (!Array.isArray(policy.receivers) || !policy.route || typeof policy.route !== 'object') return;
    try {
      checkReferences(policy, ctx);
    } catch {
      // A shape error elsewhere made the data too odd to cross-check; zod already reported that error.
    }
  }, { when: (payload) => payload.value !== null && typeof payload.value === 'object' });

function checkReferences(policy: z.output<typeof escalationShape>, ctx: z.RefinementCtx): void {
    const names = policy.receivers.map((r) => r.name);
    policy.receivers.forEach((r, i) => {
      if (names.indexOf(r.name) !== i) {
        ctx.addIssue({ code: 'custom', path: ['receivers', i, 'name'], message: `receiver ${JSON.stringify(r.name)} is defined twice`, params: { fix: 'give each receiver its own name' } });
      }
      if (!r.slack_configs?.length && !r.email_configs?.length) {
        ctx.addIssue({ code: 'custom', path: ['receivers', i], message: `receiver ${JSON.stringify(r.name)} has no slack_configs or email_configs`, params: { fix: 'add slack_configs or email_configs' } });
      }
      r.email_configs?.forEach((e, j) => {
        const to = e.to === undefined ? [] : Array.isArray(e.to) ? e.to : [e.to];
        if (to.length === 0 && !e.to_partner_contacts) {
          ctx.addIssue({ code: 'custom', path: ['receivers', i, 'email_configs', j], message: 'an e-mail config needs recipients', params: { fix: 'add to: [address] or to_partner_contacts: true' } });
        }
        if (!(e.smarthost ?? policy.global?.smtp_smarthost)) {
          ctx.addIssue({ code: 'custom', path: ['receivers', i, 'email_configs', j], message: 'no SMTP server for this e-mail config', params: { fix: 'set smarthost: host:port here or global.smtp_smarthost' } });
        }
        if (!(e.from ?? policy.global?.smtp_from)) {
          ctx.addIssue({ code: 'custom', path: ['receivers', i, 'email_configs', j], message: 'no sender address for this e-mail config', params: { fix: 'set from: here or global.smtp_from' } });
        }
      });
    });
    const checkReceiver = (name: string | undefined, path: (string | number)[]) => {
      if (name === undefined || names.includes(name)) return;
      const guess = closestWord(name, names);
      ctx.addIssue({ code: 'custom', path, message: `unknown receiver ${JSON.stringify(name)}`, params: { fix: guess ? `did you mean ${JSON.stringify(guess)}?` : `define it under receivers (known: ${names.join(', ')})` } });
    };
    if (policy.route.receiver === undefined) {
      ctx.addIssue({ code: 'custom', path: ['route'], message: 'the root route needs a receiver', params: { fix: 'add receiver: <name> to route' } });
    }
    const mailsPartners = new Set(policy.receivers.filter((r) => r.email_configs?.some((e) => e.to_partner_contacts)).map((r) => r.name));
    type Inherited = { receiver?: string; groupBy: readonly string[]; steps: readonly { receiver: string }[] };
    const walk = (route: RawRoute, path: (string | number)[], parent: Inherited) => {
      checkReceiver(route.receiver, [...path, 'receiver']);
      const effective: Inherited = { receiver: route.receiver ?? parent.receiver, groupBy: route.group_by ?? parent.groupBy, steps: route.steps ?? parent.steps };
      const setsHere = route.receiver !== undefined || route.group_by !== undefined || route.steps !== undefined;
      const partnerMail = [effective.receiver, ...effective.steps.map((s) => s.receiver)].find((r) => r !== undefined && mailsPartners.has(r));
      if (setsHere && partnerMail && !effective.groupBy.includes('partner') && !effective.groupBy.includes('...')) {
        // Otherwise one group could hold several partners' alerts, and partner A would read about partner B.
        ctx.addIssue({
          code: 'custom',
          path: route.group_by ? [...path, 'group_by'] : path,
          message: `receiver ${JSON.stringify(partnerMail)} e-mails partner contacts, but this route's groups are not split by partner`,
          params: { fix: 'add partner to group_by' },
        });
      }
      route.steps?.forEach((s, i) => {
        checkReceiver(s.receiver, [...path, 'steps', i, 'receiver']);
        const previous = route.steps![i - 1];
        if (typeof s.after !== 'number' || (previous && typeof previous.after !== 'number')) return;
        if (s.after <= 0 || (previous && s.after <= previous.after)) {
          ctx.addIssue({ code: 'custom', path: [...path, 'steps', i, 'after'], message: 'escalation steps must come later one after another (after > 0, increasing)', params: { fix: 'the route receiver is paged at once; give each step a later after:' } });
        }
      });
      route.routes?.forEach((child, i) => walk(child, [...path, 'routes', i], effective));
    };
    walk(policy.route, ['route'], { groupBy: DEFAULT_GROUP_BY, steps: [] });
}

export type RawEscalation = z.output<typeof escalationSchema>;

/** sentinel.yaml as the escalation part sees it: its own section validated strictly, the service's
 *  sections (targets, rules, ...) left to the service's schema. */
export const policyFileSchema = z.looseObject({ escalation: escalationSchema });

export const contactsFileSchema = z.strictObject({
  partners: z.record(
    z.string(),
    z.strictObject({
      name: z.string().min(1),
      escalation_note: z.string().optional(),
      contacts: z.array(z.strictObject({ name: z.string().min(1), email: z.email() })).min(1),
    }),
  ),
});

export type RawContacts = z.output<typeof contactsFileSchema>;
