// The Alertmanager target, proven with the real amtool: the compiled example policy passes
// `amtool check-config`, routes every alert to the same receivers our own escalation would reach
// (`amtool config routes test` against the policy's matchRoutes), and never inlines a secret.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compile, loadPolicyFile, writeOutputs, type CompileResult, type EscalationPolicy } from 'integration-sentinel';
import { matchRoutes } from '../../src/policy/index.ts';
import { amtool, runTool, warnIfMissing } from './support/tools.ts';

warnIfMissing('amtool', amtool);

const POLICY = 'examples/sentinel.yaml';
const SECRET_VALUES = { SLACK_BOT_TOKEN: 'xoxb-do-not-leak-1234', SMTP_PASSWORD: 'hunter2-do-not-leak' };
let dir: string;
let result: CompileResult;
let policy: EscalationPolicy;

beforeAll(async () => {
  Object.assign(process.env, SECRET_VALUES);
  dir = await mkdtemp(join(tmpdir(), 'sentinel-compile-am-'));
  const outcome = await compile('alertmanager', { policy: POLICY, secretsDir: '/run/secrets/alertmanager' });
  if (!outcome.ok) throw new Error(outcome.errors.join('\n'));
  result = outcome.result;
  await writeOutputs(dir, result.files);
  const loaded = await loadPolicyFile(POLICY);
  if (!loaded.ok) throw new Error('example policy does not load');
  policy = loaded.value;
});
afterAll(async () => {
  for (const name of Object.keys(SECRET_VALUES)) delete process.env[name];
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Alerts as the compiled Prometheus rules label them (rule + alertname + severity + entity). */
const ALERTS: Array<Record<string, string>> = [
  { rule: 'partner_error_code_shift', severity: 'critical', partner: 'elation', error_code: '403' },
  { rule: 'partner_error_code_shift', severity: 'critical', partner: 'quest', error_code: '500' },
  { rule: 'partner_success_drop', severity: 'critical', partner: 'unknown-partner', operation: 'GET /x' },
  { rule: 'partner_latency', severity: 'warning', partner: 'elation', operation: 'GET /patients/{id}' },
  { rule: 'routing_flows_unhealthy_zones', severity: 'critical', zone: 'zone-a' },
  { rule: 'db_operation_timeouts', severity: 'critical', db_operation_name: 'select_associations' },
];

/** Receivers our own escalation reaches for an alert: the matched route's receiver and every step's. */
function policyReceivers(labels: Record<string, string>): string[] {
  const names: string[] = [];
  const partnerCopy = (receiver: string) => {
    const r = policy.receivers.find((x) => x.name === receiver)!;
    const toContacts = r.integrations.some((i) => i.type === 'email' && i.toPartnerContacts);
    return toContacts && labels.partner && policy.partners[labels.partner] ? `${receiver}/${labels.partner}` : receiver;
  };
  for (const { route } of matchRoutes(policy.route, labels)) {
    names.push(...route.steps.map((s) => partnerCopy(s.receiver)), partnerCopy(route.receiver));
  }
  return names.sort();
}

describe('sentinel compile --target alertmanager', () => {
  it.skipIf(!amtool)('passes amtool check-config', async () => {
    const check = await runTool(amtool!, ['check-config', 'alertmanager.yml'], dir);
    expect(check.code, check.output).toBe(0);
    expect(check.output).toMatch(/SUCCESS/);
  });

  it.skipIf(!amtool)('routes every alert to the receivers the embedded escalation reaches (amtool config routes test)', async () => {
    for (const labels of ALERTS) {
      const args = Object.entries({ ...labels, alertname: labels.rule! }).map(([k, v]) => `${k}=${v}`);
      const routed = await runTool(amtool!, ['config', 'routes', 'test', '--config.file=alertmanager.yml', ...args], dir);
      const receivers = routed.output.split('\n').find((l) => l && !l.startsWith('Warning'))!.split(',').map((s) => s.trim()).sort();
      expect(receivers, JSON.stringify(labels)).toEqual(policyReceivers(labels));
    }
  }, 20_000);

  it('maps each escalation step to a continue route whose group_wait is the step\'s after, and says it is approximate', () => {
    interface AmRoute { receiver: string; group_wait: string; continue?: boolean; routes?: AmRoute[] }
    const all = (r: AmRoute): AmRoute[] => [r, ...(r.routes ?? []).flatMap(all)];
    const routes = all((parse(result.files.get('alertmanager.yml')!) as { route: AmRoute }).route);
    expect(routes.find((r) => r.receiver === 'partner-email')).toMatchObject({ group_wait: '15m', continue: true });
    expect(routes.find((r) => r.receiver === 'integrations-leads')).toMatchObject({ group_wait: '1h', continue: true });
    const note = result.notes.find((n) => n.subject.includes('after 15m -> partner-email'))!;
    expect(note.fidelity).toBe('approximate');
    expect(note.reason).toMatch(/no acknowledgement/);
    expect(result.files.get('NOTES.md')).toContain('after 15m -> partner-email');
  });

  it('e-mails each partner\'s own contacts through a receiver per partner, with their escalation note', () => {
    const config = parse(result.files.get('alertmanager.yml')!) as { receivers: Array<{ name: string; email_configs?: Array<{ to: string; text: string }> }> };
    const elation = config.receivers.find((r) => r.name === 'partner-email/elation')!;
    expect(elation.email_configs![0]!.to).toBe('integrations-oncall@example.org, integrations@elation.example, oncall@elation.example');
    expect(elation.email_configs![0]!.text).toContain("call Elation's partner desk");
    expect(config.receivers.find((r) => r.name === 'partner-email')!.email_configs![0]!.to).toBe('integrations-oncall@example.org');
  });

  it('never inlines a secret: the Slack token and SMTP password are file references', () => {
    const text = result.files.get('alertmanager.yml')!;
    for (const value of Object.values(SECRET_VALUES)) expect(text).not.toContain(value);
    const config = parse(text) as { receivers: Array<{ slack_configs?: Array<Record<string, any>>; email_configs?: Array<Record<string, any>> }> };
    for (const r of config.receivers) {
      for (const s of r.slack_configs ?? []) expect(s.http_config.authorization.credentials_file).toBe('/run/secrets/alertmanager/slack_bot_token');
      for (const e of r.email_configs ?? []) {
        expect(e.auth_password_file).toBe('/run/secrets/alertmanager/smtp_password');
        expect(e).not.toHaveProperty('auth_password');
      }
    }
  });

  it('renders only the policy\'s allow-listed labels into messages', () => {
    const config = parse(result.files.get('alertmanager.yml')!) as { receivers: Array<{ slack_configs?: Array<{ text: string; title: string }> }> };
    const used = new Set<string>();
    for (const r of config.receivers) for (const s of r.slack_configs ?? []) for (const m of `${s.title}${s.text}`.matchAll(/\.(?:Common)?Labels\.([a-z_]+)/g)) used.add(m[1]!);
    expect([...used].filter((l) => !policy.renderLabels.includes(l))).toEqual([]);
    expect(config.receivers.some((r) => (r.slack_configs ?? []).some((s) => /\.Annotations\.description|\.Labels\b(?!\.)/.test(s.text)))).toBe(false);
  });

  it('reports a broken policy file with file:line and the fix, and writes nothing', async () => {
    const outcome = await compile('alertmanager', { policy: 'test/compile/fixtures/does-not-exist.yaml' });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.errors[0]).toMatch(/does-not-exist\.yaml/);
  });
});
