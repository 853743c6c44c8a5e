// The service with its real parts in one process: rules loader, detector step, ingest parser, escalator
// and the real Slack client against a Slack-compatible server. Time is driven by the test (manual clock,
// one evaluation per simulated minute), so the API's effect on escalation is checked exactly.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACK_ACTION_ID } from '../../src/escalate/format.js';
import { signSlackRequest } from '../../src/service/slack-signature.js';
import { SentinelService } from '../../src/service/service.js';
import { productionDeps, type RuleSet } from '../../src/service/wiring.js';
import { startFakeSlack, type FakeSlack } from '../escalate/support/slack-server.js';
import { listen, type TestServer } from './support/servers.js';
import { authFailuresRules } from './support/auth-failures-rule.js';
import { bearer } from './support/api-token.js';
import { savedState } from './support/saved-state.js';
import { sentinelYaml } from './support/sentinel-yaml.js';

const SIGNING_SECRET = 'real-parts-signing-secret-42';
const MIN = 60_000;
const T0 = Date.parse('2026-11-23T02:00:00Z');

const RULES = authFailuresRules();

let dir: string;
let slack: FakeSlack;
let target: TestServer;
let service: SentinelService<RuleSet>;
let base: string;
let now = T0;
const failing = new Set<string>();
const counters: Record<string, number> = { acme: 0, globex: 0 };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sentinel-real-'));
  slack = await startFakeSlack();
  for (const p of Object.keys(counters)) counters[p] = 0;
  failing.clear();
  target = await listen((_req, res) => {
    const lines = Object.keys(counters).map((partner) => {
      if (failing.has(partner)) counters[partner]! += 30;
      return `integration_requests_total{partner="${partner}",operation="GET /patients/{id}",outcome="auth_error",error_code="401"} ${counters[partner]}`;
    });
    res.end(lines.join('\n') + '\n');
  });
  await writeFile(join(dir, 'rules.yaml'), RULES);
  await writeFile(
    join(dir, 'sentinel.yaml'),
    sentinelYaml({ targetUrl: `${target.url}/metrics`, slackUrl: slack.url, signingSecret: true, channel: "'#integrations-oncall'" }),
  );
  now = T0;
  const started = await SentinelService.start(join(dir, 'sentinel.yaml'), {
    ...productionDeps(),
    now: () => now,
    timers: false,
    env: { SLACK_BOT_TOKEN: 'xoxb-real-parts-token', SLACK_SIGNING_SECRET: SIGNING_SECRET },
    writeLog: () => {},
  });
  if (!started.ok) throw new Error(JSON.stringify(started.diagnostics));
  service = started.service;
  base = `http://127.0.0.1:${service.address().port}`;
});

afterEach(async () => {
  await service.stop();
  await target.close();
  await slack.close();
  await rm(dir, { recursive: true, force: true });
});

/** One simulated minute: scrape, evaluate, run escalation timers. */
async function minute(): Promise<void> {
  now += MIN;
  await service.scrapeAll();
  await service.evaluateOnce(now);
  await service.tick(now);
}

async function groups(): Promise<Array<{ id: string; labels: Record<string, string>; acknowledged?: { by: string } }>> {
  return ((await (await fetch(`${base}/api/alerts`)).json()) as { groups: never[] }).groups;
}

function interaction(groupId: string): string {
  const payload = { type: 'block_actions', user: { id: 'U1', username: 'dana' }, actions: [{ action_id: ACK_ACTION_ID, value: groupId }] };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

describe('the service with its real detector and escalator', () => {
  it('pages a partner incident in Slack once, and Slack\'s Acknowledge button reaches the group through the signed endpoint', async () => {
    for (let i = 0; i < 3; i++) await minute();
    failing.add('acme');
    for (let i = 0; i < 3; i++) await minute();
    expect(slack.topLevel()).toHaveLength(1);
    const [group] = await groups();
    expect(group!.labels).toMatchObject({ partner: 'acme' });

    const body = interaction(group!.id);
    const post = (headers: Record<string, string>) => fetch(`${base}/slack/interactivity`, { method: 'POST', headers, body });
    const forged = await post({ ...signSlackRequest(body, 'not-the-secret', now), 'content-type': 'application/x-www-form-urlencoded' });
    expect(forged.status).toBe(401);
    const stale = await post(signSlackRequest(body, SIGNING_SECRET, now - 6 * MIN));
    expect(stale.status).toBe(401);
    const unsigned = await fetch(`${base}/slack/interactivity`, { method: 'POST', body });
    expect(unsigned.status).toBe(401);
    expect((await groups())[0]!.acknowledged).toBeUndefined();

    const genuine = await post(signSlackRequest(body, SIGNING_SECRET, now));
    expect(genuine.status).toBe(200);
    expect((await groups())[0]!.acknowledged).toMatchObject({ by: 'dana (Slack)' });
    // Slack shows it: a reply in the page's thread.
    expect(slack.replies(slack.topLevel()[0]!.ts).map((m) => m.text)).toContainEqual(expect.stringContaining('acknowledged by dana (Slack)'));
  });

  it('acknowledges through POST /api/alerts/{id}/ack with the alert id /api/alerts lists', async () => {
    failing.add('acme');
    for (let i = 0; i < 3; i++) await minute();
    const { alerts } = (await (await fetch(`${base}/api/alerts`)).json()) as { alerts: Array<{ id: string; state: string }> };
    expect(alerts).toEqual([expect.objectContaining({ state: 'firing', id: 'partner_auth_failures{partner="acme"}' })]);
    const ack = await fetch(`${base}/api/alerts/${encodeURIComponent(alerts[0]!.id)}/ack`, { method: 'POST', headers: bearer(service), body: JSON.stringify({ by: 'sam' }) });
    expect(ack.status).toBe(200);
    expect((await groups())[0]!.acknowledged).toMatchObject({ by: 'sam' });
  });

  it('sends nothing for a partner silenced through the API, while another partner still pages', async () => {
    const created = await fetch(`${base}/api/silences`, {
      method: 'POST',
      headers: bearer(service),
      body: JSON.stringify({ matchers: ['partner="acme"'], endsAt: new Date(now + 60 * MIN).toISOString(), createdBy: 'sam', comment: 'acme maintenance window' }),
    });
    expect(created.status).toBe(201);
    failing.add('acme');
    failing.add('globex');
    for (let i = 0; i < 4; i++) await minute();
    expect(slack.topLevel()).toHaveLength(1);
    expect(slack.topLevel()[0]!.text).toContain('globex');
    expect(slack.topLevel()[0]!.text).not.toContain('acme');
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/sentinel_alerts\{state="firing",severity="critical"\} 2/);
    expect(text).toMatch(/sentinel_notifications_sent_total\{receiver="oncall"\} [1-9]/);
  });

  it('resumes the detector\'s learned series and the silences after a restart instead of starting from zero', async () => {
    for (let i = 0; i < 5; i++) await minute();
    const saved = () => savedState<{ detector: unknown }>(join(dir, 'data'));
    const pointsBefore = trackPoints((await saved()).detector);
    expect(pointsBefore).toBeGreaterThanOrEqual(5);

    const silence = await fetch(`${base}/api/silences`, {
      method: 'POST',
      headers: bearer(service),
      body: JSON.stringify({ matchers: ['partner="globex"'], endsAt: new Date(now + 120 * MIN).toISOString(), createdBy: 'sam', comment: 'globex migration' }),
    });
    expect(silence.status).toBe(201);

    await service.stop();
    const restarted = await SentinelService.start(join(dir, 'sentinel.yaml'), { ...productionDeps(), now: () => now, timers: false, env: {}, writeLog: () => {} });
    if (!restarted.ok) throw new Error('restart failed');
    service = restarted.service;
    await minute();
    // A detector starting over would hold one point per series; this one keeps the history and adds to it.
    expect(trackPoints((await saved()).detector)).toBeGreaterThan(pointsBefore);
    // Silences live in data_dir too.
    const listed = (await (await fetch(`http://127.0.0.1:${service.address().port}/api/silences`)).json()) as { silences: Array<{ comment: string; status: string }> };
    expect(listed.silences).toEqual([expect.objectContaining({ comment: 'globex migration', status: 'active' })]);
  });
});

/** Points in the detector's per-entity tracks: one more per entity and evaluation while it remembers. */
function trackPoints(state: unknown): number {
  let count = 0;
  const walk = (node: unknown, key: string): void => {
    if (Array.isArray(node)) {
      if (key === 't') count += node.length;
      return;
    }
    if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, k);
  };
  walk(state, '');
  return count;
}
