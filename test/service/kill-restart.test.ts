// THE durability test: the real CLI, a real scrape target, a Slack-compatible server; SIGKILL after the
// page, restart, end the incident. The detector thinks in minutes (it evaluates at most every 50 s of
// sample time), so the service runs with --clock-speed 100: a 1-minute evaluation interval is 600 ms of
// real time, and the whole incident takes seconds. A small test rule stands in for the default pack.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../escalate/support/slack-server.js';
import { ensureBuilt, eventually, startCli, type CliProcess } from './support/cli.js';
import { listen, type TestServer } from './support/servers.js';
import { authFailuresRules } from './support/auth-failures-rule.js';

const SLACK_TOKEN = 'xoxb-e2e-token-5f1c2a9d7b';
const SIGNING_SECRET = 'e2e-signing-secret-8c3e1f0a';

const RULES = authFailuresRules({ summary: "{{ $labels.partner }} answers 401 to {{ $value }} calls a second" });

function configYaml(targetUrl: string, slackUrl: string): string {
  return `listen:
  host: 127.0.0.1
  port: 0
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
  route:
    receiver: oncall
    group_by: [rule, partner]
    group_wait: 0s
    group_interval: 5m
    repeat_interval: 1h
  receivers:
    - name: oncall
      slack_configs:
        - channel: '#integrations-oncall'
`;
}

/** A partner client's exporter: 401s pile up while `incident` is on. */
class PartnerTarget {
  incident = false;
  authErrors = 0;
  successes = 0;
  server!: TestServer;
  async start(): Promise<void> {
    this.server = await listen((_req, res) => {
      this.successes += this.incident ? 0 : 10;
      this.authErrors += this.incident ? 10 : 0;
      res.setHeader('content-type', 'text/plain; version=0.0.4');
      res.end(
        [
          '# TYPE integration_requests_total counter',
          `integration_requests_total{partner="acme",operation="GET /patients/{id}",outcome="success",error_code=""} ${this.successes}`,
          `integration_requests_total{partner="acme",operation="GET /patients/{id}",outcome="auth_error",error_code="401"} ${this.authErrors}`,
          'this line is not a sample and must not drop the others',
          '',
        ].join('\n'),
      );
    });
  }
}

let dir: string;
let slack: FakeSlack;
const target = new PartnerTarget();
const processes: CliProcess[] = [];

beforeAll(async () => {
  ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'sentinel-kill-'));
  slack = await startFakeSlack();
  await target.start();
  await writeFile(join(dir, 'rules.yaml'), RULES);
  await writeFile(join(dir, 'sentinel.yaml'), configYaml(`${target.server.url}/metrics`, slack.url));
}, 180_000);

afterAll(async () => {
  for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await target.server?.close();
  await slack?.close();
  await rm(dir, { recursive: true, force: true });
});

async function startService(): Promise<{ cli: CliProcess; base: string }> {
  const cli = startCli(['run', '--clock-speed', '100', '--config', join(dir, 'sentinel.yaml')], { SLACK_BOT_TOKEN: SLACK_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET });
  processes.push(cli);
  const line = await Promise.race([
    cli.waitForLine(/info service_started listen=/),
    cli.exited.then((code) => Promise.reject(new Error(`sentinel run exited with ${code}:\n${cli.lines.join('\n')}`))),
  ]);
  return { cli, base: `http://${/listen=(\S+)/.exec(line)![1]}` };
}

async function evaluations(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(/^sentinel_rule_evaluations_total (\d+)/m.exec(text)?.[1] ?? 0);
}

const pages = (): number => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts === undefined).length;

describe('sentinel run killed mid-incident', () => {
  it('pages exactly once across SIGKILLs and restarts, and the resolve still arrives', async () => {
    const first = await startService();
    await eventually(async () => (await evaluations(first.base)) >= 3, 'three healthy evaluations');
    expect(pages()).toBe(0);

    target.incident = true;
    await eventually(() => pages() === 1, 'the page in Slack').catch((e: Error) => {
      throw new Error(`${e.message}\n${first.cli.lines.join('\n')}`);
    });
    // The notification is on Slack and in the escalator's state: kill without any chance to clean up.
    first.cli.child.kill('SIGKILL');
    await first.cli.exited;

    const second = await startService();
    expect(second.cli.lines.some((l) => /info state_restored .*alerts=1/.test(l))).toBe(true);
    const afterRestart = await evaluations(second.base);
    await eventually(async () => (await evaluations(second.base)) >= afterRestart + 4, 'four evaluations of the ongoing incident after the restart');
    expect(pages()).toBe(1);
    const alerts = (await (await fetch(`${second.base}/api/alerts`)).json()) as { alerts: Array<{ id: string; state: string }> };
    expect(alerts.alerts).toEqual([expect.objectContaining({ id: expect.stringContaining('partner_auth_failures'), state: 'firing' })]);

    // A broken rule file on SIGHUP is rejected with file:line:col; the last good rules keep running.
    await writeFile(join(dir, 'rules.yaml'), RULES.replace('op:', 'opp:'));
    second.cli.child.kill('SIGHUP');
    const rejected = await second.cli.waitForLine(/error reload_rejected/);
    expect(rejected).toContain(`${join(dir, 'rules.yaml')}:`);
    expect(rejected).toMatch(/rules\.yaml:\d+:\d+: unknown field \\?"opp\\?"/);

    // The incident ends while Slack is down; kill again the moment the detector resolves, so the resolve
    // can only be in the service's saved state (detector or escalation outbox), never already in Slack.
    slack.failWith = { status: 503 };
    target.incident = false;
    await second.cli.waitForLine(/info alert_transition .*state=resolved/);
    second.cli.child.kill('SIGKILL');
    await second.cli.exited;
    expect(slack.topLevel()[0]!.text).not.toContain('RESOLVED');
    slack.failWith = undefined;

    // A restart with the broken rule file would refuse to start (exit 1, every problem printed): fix it.
    await writeFile(join(dir, 'rules.yaml'), RULES);
    const third = await startService();
    await eventually(() => slack.topLevel()[0]?.text.includes('RESOLVED'), 'the resolved notice');
    expect(pages()).toBe(1);
    expect(slack.topLevel()).toHaveLength(1);
    expect(((await (await fetch(`${third.base}/api/alerts`)).json()) as { alerts: unknown[] }).alerts).toEqual([]);

    // The malformed line was counted and the rest of every scrape used.
    expect(await (await fetch(`${third.base}/metrics`)).text()).toMatch(/sentinel_scrape_malformed_lines_total\{target="checkin-service"\} [1-9]/);

    // Secrets: in the Slack client's header, never in a log line or an API answer.
    expect(slack.calls[0]!.authorization).toBe(`Bearer ${SLACK_TOKEN}`);
    const answers = await Promise.all(['/api/alerts', '/api/targets', '/api/silences', '/metrics'].map(async (p) => (await fetch(`${third.base}${p}`)).text()));
    const everything = [...first.cli.lines, ...second.cli.lines, ...third.cli.lines, ...answers].join('\n');
    expect(everything).not.toContain(SLACK_TOKEN);
    expect(everything).not.toContain(SIGNING_SECRET);

    third.cli.child.kill('SIGTERM');
    expect(await third.cli.exited).toBe(0);
    expect(third.cli.lines.at(-1)).toMatch(/info service_stopped/);
  }, 60_000);
});
