// Receivers: Slack through the Web API (chat.postMessage with the bot token, as our own sender does) and
// e-mail over SMTP. Secrets are file references under the secrets folder, named after the policy's
// environment variables (SLACK_BOT_TOKEN -> <secrets>/slack_bot_token); never inlined. Messages render
// only the policy's allow-listed labels (no patient data: labels only, never bodies).
import { posix } from 'node:path';
import type { EmailConfig, EscalationPolicy, Partner, Receiver, SlackConfig } from '../../policy/types.js';
import type { AmEmailConfig, AmReceiver, AmSlackConfig } from './types.js';

export function secretFile(secretsDir: string, envName: string): string {
  return posix.join(secretsDir, envName.toLowerCase());
}

/** Every secret file the config references, with the environment variable it stands for. */
export function secretFiles(policy: EscalationPolicy, secretsDir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const receiver of policy.receivers) {
    for (const i of receiver.integrations) {
      if (i.type === 'slack') files.set(secretFile(secretsDir, i.tokenEnv), i.tokenEnv);
      else if (i.authPasswordEnv) files.set(secretFile(secretsDir, i.authPasswordEnv), i.authPasswordEnv);
    }
  }
  return files;
}

function labelsLine(labels: readonly string[], source: '.Labels' | '.CommonLabels'): string {
  return labels.map((l) => `{{ with ${source}.${l} }} ${l}={{ . }}{{ end }}`).join('');
}

function dashboardLine(policy: EscalationPolicy): string {
  if (!policy.dashboardUrl) return '';
  const url = policy.dashboardUrl.replace(/\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g, (_m, label: string) => `{{ .CommonLabels.${label} | urlquery }}`);
  return `\nDashboard: ${url}`;
}

function messageText(policy: EscalationPolicy, partner?: Partner): string {
  const alerts = `{{ range .Alerts }}{{ if eq .Status "firing" }}FIRING{{ else }}RESOLVED{{ end }} {{ .Annotations.summary }} (since {{ .StartsAt.UTC.Format "2006-01-02 15:04 UTC" }});${labelsLine(policy.renderLabels, '.Labels')}\n{{ end }}`;
  const note = partner?.escalationNote ? `\n${partner.escalationNote}` : '';
  return `${alerts}${dashboardLine(policy)}${note}`;
}

function title(policy: EscalationPolicy): string {
  return `[{{ .Status | toUpper }}]${labelsLine(policy.renderLabels.filter((l) => l !== 'severity'), '.CommonLabels')}`;
}

function slack(policy: EscalationPolicy, s: SlackConfig, secretsDir: string): AmSlackConfig {
  return {
    send_resolved: s.sendResolved,
    api_url: `${s.apiUrl.replace(/\/?$/, '/')}chat.postMessage`,
    channel: s.channel,
    http_config: { authorization: { type: 'Bearer', credentials_file: secretFile(secretsDir, s.tokenEnv) } },
    title: title(policy),
    text: messageText(policy),
  };
}

function email(policy: EscalationPolicy, e: EmailConfig, secretsDir: string, to: readonly string[], partner?: Partner): AmEmailConfig {
  return {
    send_resolved: e.sendResolved,
    to: to.join(', '),
    from: e.from,
    smarthost: e.smarthost,
    ...(e.authUsername ? { auth_username: e.authUsername } : {}),
    ...(e.authPasswordEnv ? { auth_password_file: secretFile(secretsDir, e.authPasswordEnv) } : {}),
    require_tls: e.requireTls,
    headers: { Subject: title(policy) },
    text: messageText(policy, partner),
    html: `<pre>${messageText(policy, partner)}</pre>`,
  };
}

/** True when a receiver e-mails the partner's own contacts (resolved per partner at compile time). */
export function mailsPartnerContacts(receiver: Receiver): boolean {
  return receiver.integrations.some((i) => i.type === 'email' && i.toPartnerContacts);
}

/** The receiver's name for one partner's copy (its e-mails also go to that partner's contacts). */
export function partnerReceiverName(receiver: string, partner: string): string {
  return `${receiver}/${partner}`;
}

/**
 * The Alertmanager receiver, and for a receiver that e-mails partner contacts, one copy per partner with
 * that partner's addresses: Alertmanager cannot look an address up by label at send time.
 */
export function amReceivers(policy: EscalationPolicy, receiver: Receiver, secretsDir: string): AmReceiver[] {
  const build = (name: string, partner?: Partner): AmReceiver => {
    const slackConfigs = receiver.integrations.filter((i): i is SlackConfig => i.type === 'slack').map((s) => slack(policy, s, secretsDir));
    const emailConfigs = receiver.integrations
      .filter((i): i is EmailConfig => i.type === 'email')
      .map((e) => ({ e, to: [...e.to, ...(e.toPartnerContacts && partner ? partner.contacts.map((c) => c.email) : [])] }))
      .filter(({ to }) => to.length > 0)
      .map(({ e, to }) => email(policy, e, secretsDir, to, partner));
    return {
      name,
      ...(slackConfigs.length > 0 ? { slack_configs: slackConfigs } : {}),
      ...(emailConfigs.length > 0 ? { email_configs: emailConfigs } : {}),
    };
  };
  const out = [build(receiver.name)];
  if (mailsPartnerContacts(receiver)) {
    for (const key of Object.keys(policy.partners).sort()) out.push(build(partnerReceiverName(receiver.name, key), policy.partners[key]));
  }
  return out;
}
