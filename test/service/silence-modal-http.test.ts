// The Silence… modal through `sentinel run`'s own endpoint: the click posted to /slack/interactivity
// opens the modal on the local Slack server (views.open through the real @slack/web-api client, with the
// click's trigger_id), a submission with a mistake is answered with Slack's response_action JSON, a good
// one silences with its comment. The console's silence form takes a written duration the same way.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../src/service/slack-signature.js';
import { SentinelService } from '../../src/service/service.js';
import { productionDeps, type RuleSet } from '../../src/service/wiring.js';
import { startFakeSlack, type FakeSlack } from '../escalate/support/slack-server.js';
import { listen, type TestServer } from './support/servers.js';
import { authFailuresRules } from './support/auth-failures-rule.js';
import { bearer } from './support/api-token.js';
import { sentinelYaml } from './support/sentinel-yaml.js';

const SIGNING_SECRET = 'modal-signing-secret-7';
const MIN = 60_000;
const T0 = Date.parse('2026-11-23T02:00:00Z');

let dir: string;
let slack: FakeSlack;
let target: TestServer;
let service: SentinelService<RuleSet>;
let base: string;
let now = T0;
let failing = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sentinel-modal-'));
  slack = await startFakeSlack();
  target = await listen((_req, res) => {
    res.end(`integration_requests_total{partner="acme",operation="GET /patients/{id}",outcome="auth_error",error_code="401"} ${(failing += 30)}\n`);
  });
  await writeFile(join(dir, 'rules.yaml'), authFailuresRules());
  await writeFile(join(dir, 'sentinel.yaml'), sentinelYaml({ targetUrl: `${target.url}/metrics`, slackUrl: slack.url, signingSecret: true, channel: "'#integrations-oncall'" }));
  const started = await SentinelService.start(join(dir, 'sentinel.yaml'), {
    ...productionDeps(), now: () => now, timers: false,
    env: { SLACK_BOT_TOKEN: 'xoxb-modal-token', SLACK_SIGNING_SECRET: SIGNING_SECRET }, writeLog: () => {},
  });
  if (!started.ok) throw new Error(JSON.stringify(started.diagnostics));
  service = started.service;
  base = `http://127.0.0.1:${service.address().port}`;
});

afterAll(async () => {
  await service?.stop();
  await target?.close();
  await slack?.close();
  await rm(dir, { recursive: true, force: true });
});

const form = (payload: unknown): string => `payload=${encodeURIComponent(JSON.stringify(payload))}`;
const post = (body: string) => fetch(`${base}/slack/interactivity`, { method: 'POST', headers: { ...signSlackRequest(body, SIGNING_SECRET, now), 'content-type': 'application/x-www-form-urlencoded' }, body });

describe('Silence… through sentinel run', () => {
  it('opens the modal with the trigger_id, answers a mistake in Slack\'s words, and silences with the comment', async () => {
    for (let i = 0; i < 4; i++) {
      now += MIN;
      await service.scrapeAll();
      await service.evaluateOnce(now);
      await service.tick(now);
    }
    const page = slack.topLevel()[0]!;
    const button = (page.blocks as { accessory?: { action_id: string; value: string } }[]).find((b) => b.accessory?.action_id === 'sentinel_silence_modal')!.accessory!;
    const opened = await post(form({ type: 'block_actions', trigger_id: slack.issueTrigger(), user: { username: 'rosa' }, actions: [{ action_id: button.action_id, value: button.value }] }));
    expect(opened.status).toBe(200);
    const { view } = slack.views.at(-1)!;
    expect(view.private_metadata).toBe(button.value);

    const values = (duration: string, comment: string) => ({ duration: { duration_text: { value: duration } }, comment: { comment_text: { value: comment } } });
    const wrong = await post(form({ type: 'view_submission', user: { username: 'rosa' }, view: { ...view, state: { values: values('forever', '') } } }));
    expect(wrong.status).toBe(200);
    expect(wrong.headers.get('content-type')).toMatch(/application\/json/);
    expect(await wrong.json()).toEqual({ response_action: 'errors', errors: { duration: expect.stringContaining('not a duration'), comment: expect.stringContaining('say why') } });

    const good = await post(form({ type: 'view_submission', user: { username: 'rosa' }, view: { ...view, state: { values: values('2h30m', 'acme rotates its keys, OPS-9') } } }));
    expect(good.status).toBe(200);
    expect(await good.text()).toBe('');
    const listed = (await (await fetch(`${base}/api/silences`)).json()) as { silences: { createdBy: string; comment: string; endsAtMs: number }[] };
    expect(listed.silences).toEqual([expect.objectContaining({ createdBy: 'rosa (Slack)', comment: 'acme rotates its keys, OPS-9', endsAtMs: now + 150 * MIN })]);
    expect(JSON.stringify(slack.topLevel()[0]!.blocks)).toContain('Silenced by rosa (Slack) until');
  });

  it('takes a written duration and a comment in the console\'s silence form', async () => {
    const body = new URLSearchParams({ matchers: 'partner="globex"', duration: '4h', for: '45m', createdBy: 'dana', comment: 'globex cutover' }).toString();
    const created = await fetch(`${base}/console/silences`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...bearer(service) }, body, redirect: 'manual' });
    expect(created.status).toBe(303);
    const listed = (await (await fetch(`${base}/api/silences`)).json()) as { silences: { createdBy: string; comment: string; endsAtMs: number }[] };
    expect(listed.silences).toContainEqual(expect.objectContaining({ createdBy: 'dana', comment: 'globex cutover', endsAtMs: now + 45 * MIN }));
    const typo = new URLSearchParams({ matchers: 'partner="globex"', duration: '4h', for: '45 minutes', createdBy: 'dana', comment: 'x' }).toString();
    const refused = await fetch(`${base}/console/silences`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...bearer(service) }, body: typo, redirect: 'manual' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('is not a duration: write 90m, 4h or 2d');
  });
});
