// Debian's real amtool (prometheus-alertmanager) against the real `sentinel run` process: a silence added
// with `alertname=` mutes the page, `amtool alert query` shows the alert suppressed, `silence query` lists
// it, and `silence expire` lets the page through. The service runs at --clock-speed 100 as in
// kill-restart.test.ts, so the silence is given 24h (about 15 real minutes at that speed). amtool carries
// the API token through --http.config.file; without it, its writes are refused.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../escalate/support/slack-server.js';
import { ensureBuilt, eventually, startCli, type CliProcess } from './support/cli.js';
import { listen, type TestServer } from './support/servers.js';
import { authFailuresRules } from './support/auth-failures-rule.js';

const AMTOOL = '/usr/bin/amtool';
const run = promisify(execFile);

const RULES = authFailuresRules();

let dir: string;
let slack: FakeSlack;
let target: TestServer;
let cli: CliProcess | undefined;
let incident = false;
let errors = 0;

beforeAll(async () => {
  ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'sentinel-amtool-'));
  slack = await startFakeSlack();
  target = await listen((_req, res) => {
    if (incident) errors += 10;
    res.end(`integration_requests_total{partner="acme",operation="GET /patients/{id}",outcome="auth_error",error_code="401"} ${errors}\n`);
  });
  await writeFile(join(dir, 'rules.yaml'), RULES);
  await writeFile(
    join(dir, 'sentinel.yaml'),
    `listen: { host: 127.0.0.1, port: 0 }
data_dir: ./data
rules: ./rules.yaml
evaluation_interval: 1m
scrape_interval: 15s
targets:
  - name: app
    url: ${target.url}/metrics
escalation:
  global:
    slack_api_url: ${slack.url}
    slack_token_env: SLACK_BOT_TOKEN
  route:
    receiver: oncall
    group_by: [alertname, partner]
    group_wait: 0s
    group_interval: 2m
    repeat_interval: 4h
  receivers:
    - name: oncall
      slack_configs:
        - channel: '#integrations-oncall'
`,
  );
}, 180_000);

afterAll(async () => {
  if (cli && cli.child.exitCode === null) cli.child.kill('SIGKILL');
  await target?.close();
  await slack?.close();
  await rm(dir, { recursive: true, force: true });
});

/** amtool as a user configures it: its --http.config.file carries the API token the service generated
 *  into data_dir/api-token (prometheus/common's `authorization: { credentials_file: ... }`). */
async function amtool(base: string, ...args: string[]): Promise<string> {
  const httpConfig = join(dir, 'amtool-http.yaml');
  await writeFile(httpConfig, `authorization:\n  type: Bearer\n  credentials_file: ${join(dir, 'data', 'api-token')}\n`);
  const { stdout } = await run(AMTOOL, [`--alertmanager.url=${base}`, `--http.config.file=${httpConfig}`, ...args], { timeout: 10_000 });
  return stdout;
}

/** amtool without the token: the service refuses its writes. */
async function amtoolWithoutToken(base: string, ...args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await run(AMTOOL, [`--alertmanager.url=${base}`, ...args], { timeout: 10_000 });
    return { code: 0, stderr: '' };
  } catch (error) {
    return { code: (error as { code: number }).code, stderr: (error as { stderr: string }).stderr };
  }
}

describe.skipIf(!existsSync(AMTOOL))('amtool against sentinel run', () => {
  it('adds a silence that mutes the page, queries it and the alert, and expires it', async () => {
    cli = startCli(['run', '--clock-speed', '100', '--config', join(dir, 'sentinel.yaml')], { SLACK_BOT_TOKEN: 'xoxb-amtool-test' });
    const line = await cli.waitForLine(/info service_started listen=/);
    const base = `http://${/listen=(\S+)/.exec(line)![1]}`;

    const id = (await amtool(base, 'silence', 'add', 'alertname=partner_auth_failures', '--duration', '24h', '--comment', 'partner maintenance OPS-42', '--author', 'dana')).trim();
    expect(id).toMatch(/^s-/);
    const listed = await amtool(base, 'silence', 'query');
    expect(listed).toContain(id);
    expect(listed).toContain('alertname="partner_auth_failures"');
    expect(listed).toContain('dana');
    expect((await amtool(base, 'silence', 'query', '-q', 'alertname=partner_auth_failures')).trim()).toBe(id);

    incident = true;
    // amtool hides silenced alerts unless asked (--silenced), as against an Alertmanager.
    await eventually(async () => {
      const now = JSON.parse(await amtool(base, 'alert', 'query', '-o', 'json', '--silenced')) as Array<{ status: { state: string; silencedBy: string[] } }>;
      return now.some((a) => a.status.state === 'suppressed' && a.status.silencedBy.includes(id));
    }, 'the firing alert suppressed by the silence', 30_000);
    const alerts = await amtool(base, 'alert', 'query', '--silenced', 'alertname=partner_auth_failures', '-o', 'extended');
    expect(alerts).toContain('acme answers 401s');
    expect(alerts).toContain('partner="acme"');
    expect(await amtool(base, 'alert', 'query')).not.toContain('partner_auth_failures');
    // Firing and silenced for a while: no page. (Several group intervals at clock speed 100.)
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(slack.topLevel()).toHaveLength(0);

    await amtool(base, 'silence', 'expire', id);
    // amtool tells expired from active by its own wall clock, which this accelerated service is ahead of:
    // the real-time test below checks amtool's view; here the service's word.
    expect(((await (await fetch(`${base}/api/v2/silence/${id}`)).json()) as { status: { state: string } }).status.state).toBe('expired');
    await eventually(() => slack.topLevel().length === 1, 'the page once the silence is expired', 30_000);
    expect(slack.topLevel()[0]!.text).toContain('FIRING');
    expect(await amtool(base, 'alert', 'query', 'alertname=partner_auth_failures')).toContain('acme answers 401s');

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  }, 90_000);

  it('at the wall clock: silence add, query, expire and query --expired as an Alertmanager user types them', async () => {
    cli = startCli(['run', '--config', join(dir, 'sentinel.yaml')], { SLACK_BOT_TOKEN: 'xoxb-amtool-test' });
    const line = await cli.waitForLine(/info service_started listen=/);
    const base = `http://${/listen=(\S+)/.exec(line)![1]}`;
    const refused = await amtoolWithoutToken(base, 'silence', 'add', 'alertname=x', '--duration', '1h', '--comment', 'c', '--author', 'a');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/401|[Uu]nauthorized/);
    expect((await amtoolWithoutToken(base, 'silence', 'query', '-q')).code).toBe(0); // reads need no token
    const id = (await amtool(base, 'silence', 'add', 'alertname=x', '--duration', '1h', '--comment', 'c', '--author', 'a')).trim();
    expect(await amtool(base, 'silence', 'query', 'alertname=x')).toMatch(new RegExp(`${id}\\s+alertname="x"\\s+\\S+ \\S+ \\S+\\s+a\\s+c`));
    await amtool(base, 'silence', 'expire', id);
    expect((await amtool(base, 'silence', 'query', '-q')).trim()).not.toContain(id);
    expect(await amtool(base, 'silence', 'query', '--expired', '-q')).toContain(id);
    // Expiring twice is Alertmanager's 404 too: amtool says so and exits non-zero.
    await expect(amtool(base, 'silence', 'expire', id)).rejects.toThrow();
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  }, 60_000);
});
