// The demo's built-in escalation policy: the shape of examples/sentinel.yaml (page Slack at once, one
// message per partner incident, e-mail the partner's contacts after 15 minutes unacknowledged), pointed
// at the demo's own Slack and SMTP sinks on loopback. Written to a temp dir at start, because the sinks
// listen on ports picked then; the token is a placeholder the local Slack server accepts: no secrets.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const DEMO_SLACK_CHANNEL = '#integrations';
export const DEMO_LEADS_ADDRESS = 'integrations-leads@clinic.example';

/** The partners the recording generator simulates, with made-up contacts (key = `partner` label). */
export const DEMO_PARTNERS: Readonly<Record<string, { name: string; email: string }>> = {
  acme_ehr: { name: 'Acme EHR', email: 'oncall@acme-ehr.example' },
  labcorp_like: { name: 'LabCorp-like Labs', email: 'interfaces@labcorp-like.example' },
  pharmacy: { name: 'Neighbourhood Pharmacy', email: 'it-desk@pharmacy.example' },
  registry: { name: 'State Immunization Registry', email: 'support@registry.example' },
};

/** Environment handed to the escalator instead of process.env: only placeholders, never real secrets. */
export const DEMO_ENV: Readonly<Record<string, string>> = {
  SENTINEL_DEMO_SLACK_TOKEN: 'xoxb-sentinel-demo-local-only',
  SENTINEL_DEMO_SLACK_SIGNING_SECRET: 'sentinel-demo-local-only',
};

export interface DemoSinkAddresses {
  readonly slackApiUrl: string;
  readonly smtpPort: number;
}

/** Writes sentinel.yaml and contacts.yaml into `dir`; returns the sentinel.yaml path. */
export async function writeDemoPolicy(dir: string, sinks: DemoSinkAddresses): Promise<string> {
  await writeFile(join(dir, 'contacts.yaml'), contactsYaml());
  const file = join(dir, 'sentinel.yaml');
  await writeFile(file, policyYaml(sinks));
  return file;
}

function contactsYaml(): string {
  const lines = ['partners:'];
  for (const [key, p] of Object.entries(DEMO_PARTNERS)) {
    lines.push(`  ${key}:`, `    name: ${p.name}`, `    escalation_note: Demo contact; in your sentinel.yaml this is the partner's real integrations desk.`,
      '    contacts:', `      - name: ${p.name} on-call`, `        email: ${p.email}`);
  }
  return lines.join('\n') + '\n';
}

function policyYaml(s: DemoSinkAddresses): string {
  return `# sentinel demo's escalation policy (examples/sentinel.yaml is the same shape, for real Slack and SMTP)
escalation:
  global:
    slack_api_url: ${s.slackApiUrl}
    slack_token_env: SENTINEL_DEMO_SLACK_TOKEN
    slack_signing_secret_env: SENTINEL_DEMO_SLACK_SIGNING_SECRET
    smtp_smarthost: 127.0.0.1:${s.smtpPort}
    smtp_from: sentinel@clinic.example
  contacts_file: contacts.yaml
  dashboard_url: http://127.0.0.1:3000/d/sentinel-partner?var-partner={partner}
  route:
    receiver: oncall-slack
    group_by: [rule, zone, queue, db_operation_name]
    group_wait: 30s
    group_interval: 5m
    repeat_interval: 4h
    steps:
      - after: 30m
        receiver: leads-email
    routes:
      - matchers: ['severity="warning"']
        receiver: warnings-slack
        group_interval: 30m         # warnings never page: batch their joins and resolves
        steps: []
      - matchers: ['partner=~".+"']
        group_by: [partner]
        steps:
          - after: 15m
            receiver: partner-email
      - matchers: ['rule=~"routing_flows.*"']
        group_by: [rule]
  inhibit_rules:
    - source_matchers: ['rule=~"routing_flows.*"', 'severity="critical"']
      target_matchers: ['outcome="timeout"']
      equal: [zone]
  receivers:
    - name: oncall-slack
      slack_configs:
        - channel: '${DEMO_SLACK_CHANNEL}'
    - name: warnings-slack
      slack_configs:
        - channel: '#integrations-warnings'
    - name: partner-email
      email_configs:
        - to_partner_contacts: true
    - name: leads-email
      email_configs:
        - to: [${DEMO_LEADS_ADDRESS}]
`;
}
