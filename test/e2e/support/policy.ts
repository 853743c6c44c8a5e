// The escalation policy the end-to-end test compiles for Alertmanager: the example policy's shape,
// with Slack pointed at the local sink and e-mail at the local SMTP server.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO_PARTNER } from './demo-service.ts';

export const PARTNER_CONTACT = 'integrations@acme-ehr.example';
export const SLACK_TOKEN = 'xoxb-e2e-test-token';

export async function writeE2ePolicy(dir: string, slackApiUrl: string, smtpAddress: string): Promise<string> {
  const policy = `escalation:
  global:
    slack_api_url: ${slackApiUrl}
    slack_token_env: SLACK_BOT_TOKEN
    smtp_smarthost: ${smtpAddress}
    smtp_from: sentinel@example.org
    smtp_require_tls: false
  contacts_file: contacts.yaml
  dashboard_url: https://grafana.example.org/d/sentinel-partner?var-partner={partner}
  route:
    receiver: oncall-slack
    group_by: [rule, partner]
    group_wait: 30s
    group_interval: 5m
    repeat_interval: 4h
    steps:
      - after: 15m
        receiver: partner-email
  receivers:
    - name: oncall-slack
      slack_configs:
        - channel: '#integrations-oncall'
          send_resolved: true
    - name: partner-email
      email_configs:
        - to_partner_contacts: true
          send_resolved: true
`;
  const contacts = `partners:
  ${DEMO_PARTNER}:
    name: ACME EHR
    contacts:
      - name: ACME integrations
        email: ${PARTNER_CONTACT}
`;
  await writeFile(join(dir, 'contacts.yaml'), contacts);
  const file = join(dir, 'sentinel.yaml');
  await writeFile(file, policy);
  return file;
}
