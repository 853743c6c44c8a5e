import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/config/load.js';
import { loadPolicyFile, matchRoutes } from '../../src/policy/index.js';

const example = new URL('../../examples/sentinel.yaml', import.meta.url).pathname;

describe('escalation policy', () => {
  it('loads the example policy with contacts, defaults and inherited timers', async () => {
    const loaded = await loadPolicyFile(example);
    if (!loaded.ok) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
    const policy = loaded.value;
    expect(policy.route.receiver).toBe('oncall-slack');
    expect(policy.route.groupWaitMs).toBe(30_000);
    expect(policy.route.steps).toEqual([]);
    expect(policy.route.routes[1]!.steps).toEqual([{ afterMs: 900_000, receiver: 'partner-email' }, { afterMs: 3_600_000, receiver: 'integrations-leads' }]);
    expect(policy.route.routes[1]!.groupBy).toEqual(['partner']);
    expect(policy.partners.elation!.contacts.map((c) => c.email)).toEqual(['integrations@elation.example', 'oncall@elation.example']);
    const warning = policy.route.routes[0]!;
    expect(warning.repeatIntervalMs).toBe(4 * 3_600_000);
    expect(warning.steps).toEqual([]);
    const slack = policy.receivers[0]!.integrations[0]!;
    expect(slack).toMatchObject({ type: 'slack', channel: '#integrations-oncall', tokenEnv: 'SLACK_BOT_TOKEN' });
  });

  it('routes an alert to the deepest matching route', async () => {
    const loaded = await loadPolicyFile(example);
    if (!loaded.ok) throw new Error('example must load');
    const route = loaded.value.route;
    expect(matchRoutes(route, { rule: 'partner_error_code_shift', partner: 'elation', severity: 'critical' }).map((m) => m.path)).toEqual(['0.1']);
    expect(matchRoutes(route, { rule: 'routing_flows_unhealthy', zone: 'a', severity: 'critical' }).map((m) => m.path)).toEqual(['0.2']);
    expect(matchRoutes(route, { rule: 'queue_backlog', queue: 'sync', severity: 'critical' }).map((m) => m.path)).toEqual(['0']);
    expect(matchRoutes(route, { rule: 'x', severity: 'warning' }).map((m) => [m.path, m.route.receiver])).toEqual([['0.0', 'warnings-slack']]);
  });

  it('reports every mistake with file:line and a fix', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'policy-'));
    const file = join(dir, 'sentinel.yaml');
    await writeFile(file, [
      'escalation:',
      '  route:',
      '    receiver: oncall-slak',
      '    group_wait: 30 seconds',
      '    steps:',
      '      - after: 15m',
      '        receiver: partner-email',
      '    routes:',
      '      - matchers: [\'zone=~".+"\']',
      '        group_by: [zone]',
      '  receivers:',
      '    - name: oncall-slack',
      '      slack_configs:',
      '        - channel: "#oncall"',
      '          token: xoxb-secret-in-file',
      '    - name: partner-email',
      '      email_configs:',
      '        - to_partner_contacts: true',
      '  inhibit_rules:',
      '    - source_matchers: [zone=~"a(b"]',
      '      target_matchers: [\'outcome="timeout"\']',
      '',
    ].join('\n'));
    const loaded = await loadPolicyFile(file);
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    const lines = loaded.diagnostics.map(formatDiagnostic);
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/sentinel\.yaml:3:\d+: unknown receiver "oncall-slak": did you mean "oncall-slack"\?/),
      expect.stringMatching(/sentinel\.yaml:4:\d+: bad duration "30 seconds"/),
      expect.stringMatching(/sentinel\.yaml:15:\d+: unknown field "token": did you mean "token_env"\?/),
      expect.stringMatching(/sentinel\.yaml:18:\d+: no SMTP server for this e-mail config: set smarthost/),
      expect.stringMatching(/sentinel\.yaml:10:\d+: receiver "partner-email" e-mails partner contacts, but this route's groups are not split by partner: add partner to group_by/),
      expect.stringMatching(/sentinel\.yaml:20:\d+: bad regular expression for zone/),
    ]));
  });
});
