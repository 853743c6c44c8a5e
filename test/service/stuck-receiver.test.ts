// A receiver that never finishes must cost only its own outbox. The real CLI (--clock-speed 100), a real
// scrape target with two partners, the local Slack API and a real SMTP server that answers the end of
// DATA with `250-` continuations every 2 s and never the final line. While it hangs: a second partner's
// incident still pages, the API and Slack's button answer within 1 s, the hard deadline ends each
// attempt, the mail is resent at most once (same Message-ID), on-call hears it was not delivered, and
// SIGTERM stops the service at once.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../src/service/slack-signature.js';
import { startFakeSlack, type FakeSlack } from '../escalate/support/slack-server.js';
import { startStuckSmtp, type StuckSmtp } from '../escalate/support/stuck-smtp.js';
import { ensureBuilt, eventually, startCli, type CliProcess } from './support/cli.js';
import { listen, type TestServer } from './support/servers.js';
import { authFailuresRules } from './support/auth-failures-rule.js';
import { bearerFromDataDir } from './support/api-token.js';

const SLACK_TOKEN = 'xoxb-stuck-token-3e9a1c';
const SIGNING_SECRET = 'stuck-signing-secret-7d2b';

const RULES = authFailuresRules();

function configYaml(targetUrl: string, slackUrl: string, smtpPort: number): string {
  return `listen: { host: 127.0.0.1, port: 0 }
data_dir: ./data
rules: ./rules.yaml
evaluation_interval: 1m
scrape_interval: 15s
scrape_timeout: 5s
targets:
  - name: checkin-service
    url: ${targetUrl}
escalation:
  global:
    slack_api_url: ${slackUrl}
    slack_token_env: SLACK_BOT_TOKEN
    slack_signing_secret_env: SLACK_SIGNING_SECRET
    smtp_smarthost: 127.0.0.1:${smtpPort}
    smtp_from: sentinel@example.org
    receiver_timeout: 4s
  route:
    receiver: oncall
    group_by: [rule, partner]
    group_wait: 0s
    group_interval: 5m
    repeat_interval: 1h
  receivers:
    - name: oncall
      slack_configs:
        - channel: C0ONCALL
      email_configs:
        - to: [oncall@example.org]
`;
}

let dir: string;
let slack: FakeSlack;
let smtp: StuckSmtp;
let target: TestServer;
const failing = new Set<string>();
const counts: Record<string, number> = { acme: 0, globex: 0 };
let cli: CliProcess | undefined;

beforeAll(async () => {
  ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'sentinel-stuck-'));
  slack = await startFakeSlack();
  smtp = await startStuckSmtp({ everyMs: 2_000 });
  target = await listen((_req, res) => {
    const lines = Object.keys(counts).map((partner) => {
      if (failing.has(partner)) counts[partner]! += 30;
      return `integration_requests_total{partner="${partner}",operation="GET /patients/{id}",outcome="auth_error",error_code="401"} ${counts[partner]}`;
    });
    res.end(lines.join('\n') + '\n');
  });
  await writeFile(join(dir, 'rules.yaml'), RULES);
  await writeFile(join(dir, 'sentinel.yaml'), configYaml(`${target.url}/metrics`, slack.url, smtp.port));
}, 180_000);

afterAll(async () => {
  if (cli && cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
  await target?.close();
  await slack?.close();
  await smtp?.close();
  await rm(dir, { recursive: true, force: true });
});

const pages = (): { text: string; ts: string }[] => slack.topLevel();

/** Wall time of one request, and its status. */
async function timed(url: string, init?: RequestInit): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) });
  await res.text();
  return { ms: performance.now() - started, status: res.status };
}

describe('a receiver that never answers', () => {
  it('delays only its own outbox: the second partner pages, the API answers within 1 s, SIGTERM stops at once', async () => {
    cli = startCli(['run', '--clock-speed', '100', '--config', join(dir, 'sentinel.yaml')], { SLACK_BOT_TOKEN: SLACK_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET });
    const line = await Promise.race([
      cli.waitForLine(/info service_started listen=/),
      cli.exited.then((code) => Promise.reject(new Error(`sentinel run exited with ${code}:\n${cli!.lines.join('\n')}`))),
    ]);
    const base = `http://${/listen=(\S+)/.exec(line)![1]}`;
    const evaluations = async (): Promise<number> => Number(/^sentinel_rule_evaluations_total (\d+)/m.exec(await (await fetch(`${base}/metrics`)).text())?.[1] ?? 0);
    await eventually(async () => (await evaluations()) >= 2, 'two healthy evaluations');

    failing.add('acme');
    await eventually(() => pages().length === 1 && smtp.received.length >= 1, 'the acme page in Slack and its e-mail stuck at the end of DATA', 20_000);
    expect(pages()[0]!.text).toContain('acme');

    // The e-mail is hanging: everything else goes on.
    const during = await evaluations();
    const groups = ((await (await fetch(`${base}/api/alerts`)).json()) as { groups: { id: string }[] }).groups;
    const click = `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', user: { id: 'U1', username: 'dana' }, actions: [{ action_id: 'sentinel_ack', value: groups[0]!.id }] }))}`;
    const answers = [
      await timed(`${base}/healthz`),
      await timed(`${base}/api/alerts`),
      await timed(`${base}/api/silences`, { method: 'POST', headers: bearerFromDataDir(join(dir, 'data')), body: JSON.stringify({ matchers: ['partner="initech"'], endsAt: '2099-01-01T00:00:00Z', createdBy: 'dana', comment: 'maintenance' }) }),
      await timed(`${base}/slack/interactivity`, { method: 'POST', headers: signSlackRequest(click, SIGNING_SECRET, Date.now()), body: click }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 201, 200]);
    for (const a of answers) expect(a.ms).toBeLessThan(1_000);

    failing.add('globex');
    await eventually(() => pages().some((p) => p.text.includes('globex')), 'the globex page while the e-mail lane hangs', 20_000);
    expect(await evaluations()).toBeGreaterThan(during);

    // The hard deadline ends each attempt; after the second lost reply the mail is given up on and the
    // on-call channel hears what was not delivered. The relay saw the message at most twice, one Message-ID.
    await cli.waitForLine(/no final answer within 4000 ms/, 20_000);
    await eventually(() => slack.calls.find((c) => String(c.args.text).includes('E-mail not delivered')), 'the undelivered e-mail notice in Slack', 30_000);
    const acmeMail = smtp.received[0]!;
    expect(smtp.received.filter((id) => id === acmeMail).length).toBeLessThanOrEqual(2);

    const stopping = performance.now();
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(performance.now() - stopping).toBeLessThan(5_000);
  }, 120_000);
});
