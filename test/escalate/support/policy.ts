// Writes a test policy (sentinel.yaml + contacts.yaml) pointing at the local Slack and SMTP servers.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPolicyOptions {
  readonly slackUrl: string;
  readonly smtpPort: number;
  readonly repeatInterval?: string;
  readonly groupBy?: string;
  readonly channel?: string;
  /** More partners for the contacts file: key -> display name. */
  readonly partners?: Readonly<Record<string, string>>;
  readonly extra?: string;
}

export async function writeTestPolicy(o: TestPolicyOptions): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sentinel-policy-'));
  await writeFile(join(dir, 'contacts.yaml'), [
    'partners:',
    '  elation:',
    '    name: Elation Health',
    '    escalation_note: Call the Elation partner desk if nobody answers within 30 minutes.',
    '    contacts:',
    '      - name: Elation integrations',
    '        email: integrations@elation.example',
    '      - name: Elation on-call',
    '        email: oncall@elation.example',
    ...Object.entries(o.partners ?? {}).flatMap(([key, name]) => [
      `  ${key}:`,
      `    name: ${name}`,
      '    contacts:',
      `      - name: ${name} support`,
      `        email: support@${key.replace(/_/g, '-')}.example`,
    ]),
    '',
  ].join('\n'));
  const file = join(dir, 'sentinel.yaml');
  await writeFile(file, [
    'escalation:',
    '  global:',
    `    slack_api_url: ${o.slackUrl}`,
    '    slack_token_env: TEST_SLACK_TOKEN',
    '    slack_signing_secret_env: TEST_SLACK_SIGNING_SECRET',
    `    smtp_smarthost: 127.0.0.1:${o.smtpPort}`,
    '    smtp_from: sentinel@clinic.example',
    '    smtp_auth_username: sentinel',
    '    smtp_auth_password_env: TEST_SMTP_PASSWORD',
    '  contacts_file: contacts.yaml',
    '  dashboard_url: https://grafana.clinic.example/d/sentinel-partner?var-partner={partner}',
    '  route:',
    '    receiver: oncall-slack',
    `    group_by: ${o.groupBy ?? '[rule, partner]'}`,
    '    group_wait: 30s',
    '    group_interval: 5m',
    `    repeat_interval: ${o.repeatInterval ?? '1h'}`,
    '    steps:',
    '      - after: 15m',
    '        receiver: partner-email',
    '  receivers:',
    '    - name: oncall-slack',
    '      slack_configs:',
    `        - channel: '${o.channel ?? 'C0ONCALL'}'`,
    '    - name: partner-email',
    '      email_configs:',
    '        - to_partner_contacts: true',
    o.extra ?? '',
    '',
  ].join('\n'));
  return file;
}

export const TEST_ENV = {
  TEST_SLACK_TOKEN: 'xoxb-test-token-DO-NOT-LEAK',
  TEST_SLACK_SIGNING_SECRET: 'signing-secret-DO-NOT-LEAK',
  TEST_SMTP_PASSWORD: 'smtp-password-DO-NOT-LEAK',
};
