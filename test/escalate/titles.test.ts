// Every rule of the default pack (rules/*.yaml), grouped as the example policy (examples/sentinel.yaml,
// the one docs/escalation.md shows) groups it and as a policy grouping by rule alone does, for one
// entity and for several: the Slack title and the e-mail subject must say what the group covers, read
// once, and repeat no phrase ("routing flows unhealthy zones: zone eu-west-2a: routing flows unhealthy
// zones since ..." titled a two-zone page after its first zone, and said the rule twice).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { emailMessage, slackMessage } from '../../src/escalate/format.js';
import { buildView } from '../../src/escalate/notification.js';
import { buildPolicy, loadPolicyFile, matchRoutes } from '../../src/policy/index.js';
import type { AlertRecord, GroupState } from '../../src/escalate/state.js';
import type { EscalationPolicy } from '../../src/policy/types.js';
import type { AlertEvent } from '../../src/model/index.js';
import { drive, escalatorFor, recorder, useLocalReceivers } from './support/harness.js';
import { event, MINUTE, T0 } from './support/incident.js';

const SINCE = Date.UTC(2026, 10, 23, 2, 43);
const NOW = SINCE + 20 * 60_000;

interface PackRule { readonly name: string; readonly kind: string; readonly by: readonly string[]; readonly severity: 'critical' | 'warning' }

function defaultPack(): PackRule[] {
  return readdirSync('rules').filter((f) => f.endsWith('.yaml')).sort()
    .flatMap((f) => (parse(readFileSync(join('rules', f), 'utf8')) as { rules: PackRule[] }).rules);
}

/** Entity values per `by` label: `elation` and `quest` have names in examples/contacts.yaml, `acme_ehr` none. */
const VALUES: Record<string, readonly string[]> = {
  partner: ['elation', 'quest', 'acme_ehr', 'medlab', 'carepoint'],
  operation: ['GET /patients/{id}', 'POST /check-ins', 'GET /labs/{id}/results', 'POST /orders', 'GET /slots'],
  zone: ['eu-west-2a', 'eu-west-2b', 'eu-west-2c', 'us-east-1a', 'us-east-1b'],
  db_operation_name: ['associate_submitter', 'register_patient', 'find_encounters', 'upsert_claim', 'list_orders'],
  queue: ['lab-results', 'eligibility-checks', 'referrals', 'claims', 'documents'],
};

/** `count` alerts of `rule`, the i-th entity taking the i-th value of every `by` label. */
function alertsOf(rule: PackRule, count: number): AlertRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const labels: Record<string, string> = { rule: rule.name, severity: rule.severity };
    for (const name of rule.by) labels[name] = VALUES[name]![i]!;
    if (rule.kind === 'error_code_shift') labels.error_code = '400';
    if (rule.kind === 'timeouts') labels.error_type = 'timeout';
    const id = `${rule.name}{${JSON.stringify(labels)}}`;
    return { id, labels, severity: rule.severity, activeSinceMs: SINCE, firingSinceMs: SINCE + 3 * 60_000, value: 0.5, lastEventAtMs: NOW };
  });
}

/** The groups the policy's routes make of `alerts` (route + group_by values), each rendered. */
function rendered(policy: EscalationPolicy, alerts: readonly AlertRecord[], resolved = false): { slack: string; subject: string; members: AlertRecord[] }[] {
  const groups = new Map<string, { group: GroupState; alerts: AlertRecord[] }>();
  for (const alert of alerts) {
    for (const { route, path } of matchRoutes(policy.route, alert.labels)) {
      const labels = Object.fromEntries(route.groupBy.filter((n) => alert.labels[n] !== undefined).map((n) => [n, alert.labels[n]!]));
      const key = `${path}${JSON.stringify(labels)}`;
      const entry = groups.get(key) ?? { group: { id: `g${groups.size}`, key, route, labels, createdAtMs: SINCE, nextFlushAtMs: NOW, alerts: {}, steps: [] }, alerts: [] };
      entry.alerts.push(resolved ? { ...alert, resolvedAtMs: NOW } : alert);
      groups.set(key, entry);
    }
  }
  return [...groups.values()].map(({ group, alerts: members }) => {
    const previous = resolved ? { firing: members.map((a) => a.id), resolved: [], atMs: NOW - 60_000, acked: false, count: 1 } : undefined;
    const view = buildView({ policy, group, alerts: members, previous, nowMs: NOW });
    return { slack: slackTitle(slackMessage(view).blocks), subject: emailMessage(view).subject, members };
  });
}

/** The bold first line of the Slack message's first block, unescaped. */
function slackTitle(blocks: readonly unknown[]): string {
  const text = (blocks[0] as { text: { text: string } }).text.text;
  return text.split('\n')[0]!.replace(/^:\w+: \*/, '').replace(/\*$/, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Repeated words or phrases in a title, its label values masked (two operations may both start with
 *  GET) and its time and "and N more" tails dropped. */
function repeatedPhrases(title: string): string[] {
  let masked = title.replace(/ since \d.*$| \(was firing since .*\)$/, '').replace(/ and \d+ more( rules?)?/g, ' ');
  const values = [...Object.values(VALUES).flat(), ...Object.values(NAMES)].sort((a, b) => b.length - a.length);
  for (const v of values) masked = masked.split(v).join(' ');
  const words = masked.toLowerCase().split(/[^a-z]+/).filter((w) => w !== '');
  const filler = new Set(['in', 'and', 'for', 'a', 'the', 'of', 'to', 'was']);
  const repeats: string[] = [];
  const seen = new Set<string>();
  for (const w of words.filter((x) => !filler.has(x)).map((x) => x.replace(/s$/, ''))) {
    if (seen.has(w)) repeats.push(w);
    seen.add(w);
  }
  for (let i = 0; i + 1 < words.length; i++) {
    const bigram = `${words[i]} ${words[i + 1]}`;
    if (` ${words.slice(i + 1).join(' ')} `.includes(` ${bigram} `)) repeats.push(bigram);
  }
  return repeats;
}

const exampleContacts = parse(readFileSync('examples/contacts.yaml', 'utf8')) as { partners: Record<string, { name: string }> };
const NAMES: Record<string, string> = Object.fromEntries(Object.entries(exampleContacts.partners).map(([k, p]) => [k, p.name]));

const examplePolicy = await (async () => {
  const loaded = await loadPolicyFile('examples/sentinel.yaml');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.value;
})();
/** Alertmanager-style grouping by rule alone: every rule's group spans several entities. */
const byRulePolicy = buildPolicy(
  { route: { receiver: 'slack', group_by: ['rule'] }, receivers: [{ name: 'slack', slack_configs: [{ channel: 'C1' }] }] } as Parameters<typeof buildPolicy>[0],
  exampleContacts as Parameters<typeof buildPolicy>[1],
);

const pack = defaultPack();
const rule = (name: string): PackRule => pack.find((r) => r.name === name)!;
const T = 'since 2026-11-23 02:43 UTC';

describe('titles and subjects name what an alert group covers, once', () => {
  it('the phrase check catches the titles this replaced', () => {
    expect(repeatedPhrases('[FIRING] routing flows unhealthy zones: zone eu-west-2a: routing flows unhealthy zones since 2026-11-23 02:43 UTC')).toContain('routing flows');
    expect(repeatedPhrases('[FIRING] routing flows unhealthy zones: zone eu-west-2a')).toContain('zone');
    expect(repeatedPhrases('[FIRING] Elation Health: partner error code shift (error code 400) since 2026-11-23 02:43 UTC')).toContain('error code');
    expect(repeatedPhrases('[FIRING] Routing flows unhealthy in zones eu-west-2a, eu-west-2b since 2026-11-23 02:43 UTC')).toEqual([]);
  });

  it('the default pack still has the rules this table names', () => {
    expect(pack.map((r) => r.name).sort()).toEqual([
      'db_operation_latency', 'db_operation_timeouts', 'partner_error_code_shift', 'partner_error_rate',
      'partner_latency', 'partner_success_drop', 'queue_backlog', 'routing_flows_unhealthy_zone', 'routing_flows_unhealthy_zones',
    ]);
  });

  // [rule, policy, how many entities, resolved?, every group's title (Slack title = e-mail subject)]
  const table: [string, 'example' | 'by rule', number, boolean, string[]][] = [
    ['routing_flows_unhealthy_zones', 'example', 1, false, [`[FIRING] Routing flows unhealthy in zone eu-west-2a ${T}`]],
    ['routing_flows_unhealthy_zones', 'example', 2, false, [`[FIRING] Routing flows unhealthy in zones eu-west-2a, eu-west-2b ${T}`]],
    ['routing_flows_unhealthy_zones', 'example', 5, false, [`[FIRING] Routing flows unhealthy in zones eu-west-2a, eu-west-2b, eu-west-2c and 2 more ${T}`]],
    ['routing_flows_unhealthy_zones', 'example', 2, true, [`[RESOLVED] Routing flows unhealthy in zones eu-west-2a, eu-west-2b (was firing ${T})`]],
    ['routing_flows_unhealthy_zone', 'example', 2, false, [`[FIRING] Routing flows unhealthy in zone eu-west-2a ${T}`, `[FIRING] Routing flows unhealthy in zone eu-west-2b ${T}`]],
    ['partner_error_code_shift', 'example', 1, false, [`[FIRING] Elation Health: error code shift (400) ${T}`]],
    ['partner_error_code_shift', 'example', 1, true, [`[RESOLVED] Elation Health: error code shift (400) (was firing ${T})`]],
    ['partner_error_code_shift', 'by rule', 3, false, [`[FIRING] Partners acme_ehr, Elation Health, Quest Diagnostics (lab results): error code shift (400) ${T}`]],
    ['partner_error_rate', 'example', 2, false, [`[FIRING] Partners Elation Health, Quest Diagnostics (lab results): error rate ${T}`]],
    ['partner_success_drop', 'example', 1, false, [`[FIRING] Elation Health: success drop in operation GET /patients/{id} ${T}`]],
    ['partner_success_drop', 'by rule', 2, false, [`[FIRING] Partners Elation Health, Quest Diagnostics (lab results): success drop in operations GET /patients/{id}, POST /check-ins ${T}`]],
    ['partner_latency', 'example', 1, false, [`[FIRING] Elation Health: latency in operation GET /patients/{id} ${T}`]],
    ['db_operation_timeouts', 'example', 1, false, [`[FIRING] Timeouts in db operation associate_submitter ${T}`]],
    ['db_operation_timeouts', 'by rule', 2, false, [`[FIRING] Timeouts in db operations associate_submitter, register_patient ${T}`]],
    ['db_operation_latency', 'example', 1, false, [`[FIRING] Latency in db operation associate_submitter ${T}`]],
    ['queue_backlog', 'example', 1, false, [`[FIRING] Backlog in queue lab-results ${T}`]],
    ['queue_backlog', 'by rule', 5, false, [`[FIRING] Backlog in queues claims, documents, eligibility-checks and 2 more ${T}`]],
  ];
  it.each(table)('%s (%s policy, %i entities, resolved: %s)', (name, which, count, resolved, expected) => {
    const groups = rendered(which === 'example' ? examplePolicy : byRulePolicy, alertsOf(rule(name), count), resolved);
    expect(groups.map((g) => g.subject)).toEqual(expected);
    expect(groups.map((g) => g.slack)).toEqual(expected);
  });

  it('every rule of the pack, under both policies, for 1, 2 and 5 entities, firing and resolved: each value named or counted, nothing said twice', () => {
    let checked = 0;
    for (const r of pack) {
      for (const policy of [examplePolicy, byRulePolicy]) {
        for (const count of [1, 2, 5]) {
          const alerts = alertsOf(r, count);
          for (const resolved of [false, true]) {
            for (const g of rendered(policy, alerts, resolved)) {
              checked++;
              expect(g.slack).toBe(g.subject);
              expect(g.subject).toMatch(resolved ? /^\[RESOLVED\] / : /^\[FIRING\] /);
              // A sentence starts with a capital, unless it starts with a partner's key (no name in contacts).
              if (!r.by.includes('partner')) expect(g.subject).toMatch(/^\[\w+\] [A-Z]/);
              expect(g.subject).toContain('2026-11-23 02:43 UTC');
              expect(g.subject, 'the rule is said in words, not as its identifier').not.toContain(r.name);
              expect(repeatedPhrases(g.subject), g.subject).toEqual([]);
              for (const label of r.by) {
                // Each of the group's values is named, or the title names 3 and counts the rest:
                // never titled after the first alone.
                const values = [...new Set(g.members.map((a) => a.labels[label]!))].map((v) => (label === 'partner' ? NAMES[v] ?? v : v));
                const named = values.filter((v) => g.subject.includes(v)).length;
                if (named < values.length) {
                  expect(named, g.subject).toBe(3);
                  expect(g.subject).toContain(` and ${values.length - 3} more`);
                }
              }
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});

describe('a group holding several rules', () => {
  const grouped = (by: string[]) => buildPolicy(
    { route: { receiver: 'slack', group_by: by }, receivers: [{ name: 'slack', slack_configs: [{ channel: 'C1' }] }] } as Parameters<typeof buildPolicy>[0],
    exampleContacts as Parameters<typeof buildPolicy>[1],
  );
  const alert = (rule: string, labels: Record<string, string>): AlertRecord => ({
    id: `${rule}${JSON.stringify(labels)}`, labels: { rule, severity: 'critical', ...labels }, severity: 'critical', activeSinceMs: SINCE, firingSinceMs: SINCE, value: 1, lastEventAtMs: NOW,
  });

  it('names the partner once and joins what broke (group_by: [partner])', () => {
    const [g] = rendered(grouped(['partner']), [
      alert('partner_error_code_shift', { partner: 'elation', error_code: '400' }),
      alert('partner_error_rate', { partner: 'elation' }),
    ]);
    expect(g!.subject).toBe(`[FIRING] Elation Health: error code shift (400) and error rate ${T}`);
  });

  it('lets the Slack facts line skip the codes and operations the title already names', () => {
    const policy = grouped(['partner']);
    const alerts = [alert('partner_success_drop', { partner: 'elation', operation: 'POST /check-ins', error_code: '400' })];
    const group: GroupState = { id: 'g', key: 'k', route: policy.route, labels: { partner: 'elation' }, createdAtMs: SINCE, nextFlushAtMs: NOW, alerts: {}, steps: [] };
    const blocks = slackMessage(buildView({ policy, group, alerts, previous: undefined, nowMs: NOW })).blocks as { text: { text: string } }[];
    expect(blocks[0]!.text.text).toBe(`:rotating_light: *[FIRING] Elation Health: success drop (error code 400) in operation POST /check-ins ${T}*\n1 firing, 0 resolved`);
  });

  it('names a shared zone once, and the partner of a partner rule beside a zone rule (group_by: [zone])', () => {
    const [g] = rendered(grouped(['zone']), [
      alert('routing_flows_unhealthy_zones', { zone: 'eu-west-2a' }),
      alert('partner_timeouts', { partner: 'elation', zone: 'eu-west-2a' }),
    ]);
    expect(g!.subject).toBe(`[FIRING] Zone eu-west-2a: timeouts for partner Elation Health and routing flows unhealthy ${T}`);
    expect(repeatedPhrases(g!.subject)).toEqual([]);
  });

  it('counts rules beyond two', () => {
    const [g] = rendered(grouped(['partner']), [
      alert('partner_error_code_shift', { partner: 'quest', error_code: '400' }),
      alert('partner_error_rate', { partner: 'quest' }),
      alert('partner_latency', { partner: 'quest', operation: 'POST /orders' }),
      alert('partner_success_drop', { partner: 'quest', operation: 'POST /orders' }),
    ]);
    expect(g!.subject).toBe(`[FIRING] Quest Diagnostics (lab results): error code shift (400); error rate and 2 more rules ${T}`);
  });
});

describe('a page for several zones at once', () => {
  const local = useLocalReceivers(); // group_by [rule, partner]

  it('is one Slack message titled after both zones, retitled after the zone still firing when the other recovers', async () => {
    const escalator = await escalatorFor(local.policyFile);
    const rec = recorder(local.slack, local.smtp);
    const rule = 'routing_flows_unhealthy_zones';
    const [a, b] = [{ zone: 'eu-west-2a' }, { zone: 'eu-west-2b' }];
    const incident = new Map<number, AlertEvent[]>([
      [0, [event(rule, a, 'pending', T0, T0), event(rule, b, 'pending', T0, T0)]],
      [3, [event(rule, a, 'firing', T0 + 3 * MINUTE, T0), event(rule, b, 'firing', T0 + 3 * MINUTE, T0)]],
      [20, [event(rule, b, 'resolved', T0 + 20 * MINUTE, T0)]],
    ]);
    await drive(rec, (e, t) => escalator.handle(e, t), incident, 0, 30);
    await escalator.close();
    const calls = rec.slackAt.filter((c) => c.threadTs === undefined);
    expect(calls.map((c) => c.method)).toEqual(['chat.postMessage', 'chat.update']);
    expect(calls[0]!.text).toBe('[FIRING] Routing flows unhealthy in zones eu-west-2a, eu-west-2b since 2026-11-20 02:00 UTC (at 2026-11-20 02:04 UTC)');
    expect(calls[1]!.text).toBe('[FIRING] Routing flows unhealthy in zone eu-west-2a since 2026-11-20 02:00 UTC (at 2026-11-20 02:24 UTC)');
  });
});
