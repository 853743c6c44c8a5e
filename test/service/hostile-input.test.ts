// The service with its real parts, attacked through its own API: silences whose regexes backtrack,
// that mute everything under another spelling, or carry a pasted secret; writes without the token,
// from another site's page, or under a rebound host name; Slack requests signed in the future; and
// reloads that meet a dangling symlink or rename a rule while its alert fires.
import { mkdir, mkdtemp, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../src/service/slack-signature.js';
import { SentinelService } from '../../src/service/service.js';
import { productionDeps, type RuleSet } from '../../src/service/wiring.js';
import { startFakeSlack, type FakeSlack } from '../escalate/support/slack-server.js';
import { listen, type TestServer } from './support/servers.js';
import { bearer } from './support/api-token.js';
import { sentinelYaml } from './support/sentinel-yaml.js';
import { authFailuresRules } from './support/auth-failures-rule.js';

const SIGNING_SECRET = 'hostile-signing-secret-42';
const API_TOKEN = 'hostile-api-token-5d1e9b';
const MIN = 60_000;
const T0 = Date.parse('2026-11-23T02:00:00Z');

const rule = (name: string): string => authFailuresRules({ name });

let dir: string;
let slack: FakeSlack;
let target: TestServer;
let service: SentinelService<RuleSet>;
let base: string;
let now = T0;
let failing = false;
let errors = 0;

async function startService(env: Record<string, string> = {}): Promise<void> {
  const started = await SentinelService.start(join(dir, 'sentinel.yaml'), {
    ...productionDeps(),
    now: () => now,
    timers: false,
    env: { SLACK_BOT_TOKEN: 'xoxb-hostile-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, ...env },
    writeLog: () => {},
  });
  if (!started.ok) throw new Error(JSON.stringify(started.diagnostics));
  service = started.service;
  base = `http://127.0.0.1:${service.address().port}`;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sentinel-hostile-'));
  slack = await startFakeSlack();
  failing = false;
  errors = 0;
  target = await listen((_req, res) => {
    if (failing) errors += 30;
    res.end(`integration_requests_total{partner="acme",operation="GET /patients/{id}",outcome="auth_error",error_code="401"} ${errors}\n`);
  });
  await mkdir(join(dir, 'rules'));
  await writeFile(join(dir, 'rules', 'auth.yaml'), rule('partner_auth_failures'));
  await writeFile(
    join(dir, 'sentinel.yaml'),
    sentinelYaml({ targetUrl: `${target.url}/metrics`, slackUrl: slack.url, rules: './rules', signingSecret: true }),
  );
  now = T0;
});

afterEach(async () => {
  await service?.stop();
  await target.close();
  await slack.close();
  await rm(dir, { recursive: true, force: true });
});

async function minute(): Promise<void> {
  now += MIN;
  await service.scrapeAll();
  await service.evaluateOnce(now);
  await service.tick(now);
}

const silence = (matchers: string[], comment = 'maintenance', headers: Record<string, string> = bearer(service)) =>
  fetch(`${base}/api/silences`, { method: 'POST', headers, body: JSON.stringify({ matchers, endsAt: new Date(now + 60 * MIN).toISOString(), createdBy: 'dana', comment }) });

/** A raw request, so the Host header can be anything (fetch would set it from the URL). */
function rawPost(path: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method: 'POST', headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('silences from the API', () => {
  it('evaluates regexes as RE2: a catastrophic pattern costs nothing, a backreference is refused', async () => {
    await startService();
    failing = true;
    for (let i = 0; i < 3; i++) await minute();
    const started = performance.now();
    expect((await silence([`operation=~"((\\\\w+)+)+\\\\d"`, 'partner="acme"'])).status).toBe(201);
    for (let i = 0; i < 2; i++) await minute();
    const health = performance.now();
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(performance.now() - health).toBeLessThan(1_000);
    expect(performance.now() - started).toBeLessThan(5_000);
    const refused = await silence(['partner=~"(a)\\\\1"']);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toMatch(/RE2/);
  });

  it('refuses silences that match every alert, however they are spelled, and keeps a narrow one', async () => {
    await startService();
    failing = true;
    for (let i = 0; i < 3; i++) await minute();
    for (const spelling of [['rule=~"(.*)"'], ['rule=~".+"'], ['severity!="none"'], ['partner=~"acme|.*"'], ['partner!~"^$"', 'rule=~".*"']]) {
      const answer = await silence(spelling);
      expect(answer.status, spelling.join(',')).toBe(400);
    }
    expect((await silence(['partner="acme"'])).status).toBe(201);
  });

  it('redacts a secret pasted into a comment before it is stored or shown', async () => {
    await startService();
    const pasted = 'rotating creds: xoxb-1234567890-ABCDEFGHIJ password=hunter2hunter2 see https://ops:s3cr3t-pw@vault.example/x';
    expect((await silence(['partner="acme"'], pasted)).status).toBe(201);
    await minute();
    const shown = JSON.stringify(await (await fetch(`${base}/api/silences`)).json());
    const stored = await readFile(join(dir, 'data', 'escalation.json'), 'utf8');
    for (const secret of ['xoxb-1234567890-ABCDEFGHIJ', 'hunter2hunter2', 's3cr3t-pw']) {
      expect(shown).not.toContain(secret);
      expect(stored).not.toContain(secret);
    }
    expect(shown).toContain('rotating creds');
  });
});

describe('writes to the API', () => {
  it('need the token from SENTINEL_API_TOKEN when it is set; reads do not', async () => {
    await startService({ SENTINEL_API_TOKEN: API_TOKEN });
    expect((await silence(['partner="acme"'], 'x', {})).status).toBe(401);
    expect((await silence(['partner="acme"'], 'x', { authorization: 'Bearer wrong-token-of-same-size!' })).status).toBe(401);
    expect((await fetch(`${base}/-/reload`, { method: 'POST' })).status).toBe(401);
    expect((await silence(['partner="acme"'], 'x', { authorization: `Bearer ${API_TOKEN}` })).status).toBe(201);
    expect((await fetch(`${base}/api/silences`)).status).toBe(200);
  });

  it('refuses another site\'s page (foreign Origin, text/plain JSON) and a rebound host name', async () => {
    await startService();
    const body = JSON.stringify({ matchers: ['partner="acme"'], endsAt: '2099-01-01T00:00:00Z', createdBy: 'eve', comment: 'x' });
    expect(await rawPost('/api/silences', { origin: 'http://evil.example', 'content-type': 'text/plain' }, body)).toBe(403);
    expect(await rawPost('/api/silences', { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' }, body)).toBe(403);
    const sameOrigin = new URL(base).origin;
    expect(await rawPost('/api/silences', { origin: sameOrigin, 'content-type': 'text/plain' }, body)).toBe(415);
    expect(await rawPost('/api/silences', { host: 'sentinel.evil.example', 'content-type': 'application/json' }, body)).toBe(403);
    expect(await rawPost('/-/reload', { host: 'sentinel.evil.example' }, '')).toBe(403);
    expect((await (await fetch(`${base}/api/silences`)).json()) as unknown).toEqual({ silences: [] });
  });
});

describe('Slack\'s interactivity endpoint', () => {
  it('refuses a request signed in the future beyond a small skew', async () => {
    await startService();
    failing = true;
    for (let i = 0; i < 3; i++) await minute();
    const groups = ((await (await fetch(`${base}/api/alerts`)).json()) as { groups: { id: string }[] }).groups;
    const body = `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', user: { id: 'U1', username: 'dana' }, actions: [{ action_id: 'sentinel_ack', value: groups[0]!.id }] }))}`;
    const post = (signedAt: number) => fetch(`${base}/slack/interactivity`, { method: 'POST', headers: signSlackRequest(body, SIGNING_SECRET, signedAt), body });
    expect((await post(now + 4 * MIN)).status).toBe(401);
    expect((await post(now + 10_000)).status).toBe(200);
  });
});

describe('a Slack that hangs', () => {
  it('holds up neither the evaluations nor the API: silences and the button answer within 1 s', async () => {
    await startService();
    slack.hang = true;
    failing = true;
    const started = performance.now();
    for (let i = 0; i < 4; i++) await minute(); // the page is being attempted, and hangs
    expect(performance.now() - started).toBeLessThan(4 * 1_000);
    expect(slack.requests).toBeGreaterThan(0);
    const groups = ((await (await fetch(`${base}/api/alerts`)).json()) as { groups: { id: string }[] }).groups;
    const body = `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', user: { id: 'U1', username: 'dana' }, actions: [{ action_id: 'sentinel_ack', value: groups[0]!.id }] }))}`;
    for (const call of [
      () => silence(['partner="initech"']),
      () => fetch(`${base}/slack/interactivity`, { method: 'POST', headers: signSlackRequest(body, SIGNING_SECRET, now), body }),
      () => fetch(`${base}/api/alerts/${encodeURIComponent(groups[0]!.id)}/ack`, { method: 'POST', headers: bearer(service), body: '{"by":"sam"}' }),
    ]) {
      const t = performance.now();
      expect((await call()).status).toBeLessThan(300);
      expect(performance.now() - t).toBeLessThan(1_000);
    }
    slack.hang = false;
  });
});

describe('reloads that meet bad files', () => {
  it('answers 400 with the file for a dangling symlink or a file gone mid-reload, and keeps running', async () => {
    await startService();
    await symlink(join(dir, 'nowhere.yaml'), join(dir, 'rules', 'broken.yaml'));
    const answer = await fetch(`${base}/-/reload`, { method: 'POST', headers: bearer(service) });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(await answer.json())).toContain(join(dir, 'rules', 'broken.yaml'));
    await unlink(join(dir, 'rules', 'broken.yaml'));
    expect((await fetch(`${base}/-/reload`, { method: 'POST', headers: bearer(service) })).status).toBe(200);
  });

  it('resolves the alerts of a rule renamed while they fire, with a RESOLVED notice', async () => {
    await startService();
    failing = true;
    for (let i = 0; i < 3; i++) await minute();
    expect(slack.topLevel()).toHaveLength(1);
    await writeFile(join(dir, 'rules', 'auth.yaml'), rule('partner_auth_failures_v2'));
    expect((await fetch(`${base}/-/reload`, { method: 'POST', headers: bearer(service) })).status).toBe(200);
    await minute();
    await minute();
    expect(slack.topLevel()[0]!.text).toContain('RESOLVED');
  });
});
