// The real CLI (--clock-speed 100) against a failing data_dir and damaged state files. Writes fail here
// because every temp file the store would create is already a directory (the tests run as root, for
// whom a read-only folder is still writable): the page must go out anyway, the failures be counted and
// logged at most once a minute. A truncated escalation.json and an empty service-state.json are set
// aside at the next start; the alert nobody reports any more resolves after resolve_timeout, with a
// RESOLVED notice. SIGHUP with an alias bomb in the rules neither crashes nor stops the service.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../escalate/support/slack-server.js';
import { ensureBuilt, eventually, startCli, type CliProcess } from './support/cli.js';
import { listen, type TestServer } from './support/servers.js';
import { authFailuresRules } from './support/auth-failures-rule.js';
import { bearerFromDataDir } from './support/api-token.js';

const RULES = authFailuresRules();

const ALIAS_BOMB = `a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
rules: [*f,*f,*f,*f,*f,*f,*f,*f,*f]
`;

let dir: string;
let data: string;
let slack: FakeSlack;
let target: TestServer;
let failing = false;
let errors = 0;
const processes: CliProcess[] = [];

beforeAll(async () => {
  ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'sentinel-disk-'));
  data = join(dir, 'data');
  slack = await startFakeSlack();
  target = await listen((_req, res) => {
    if (failing) errors += 30;
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
  - name: checkin-service
    url: ${target.url}/metrics
escalation:
  global:
    slack_api_url: ${slack.url}
    slack_token_env: SLACK_BOT_TOKEN
    resolve_timeout: 3m
  route:
    receiver: oncall
    group_by: [rule, partner]
    group_wait: 0s
    group_interval: 1m
    repeat_interval: 1h
  receivers:
    - name: oncall
      slack_configs:
        - channel: C0ONCALL
`,
  );
}, 180_000);

afterAll(async () => {
  for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await target?.close();
  await slack?.close();
  await rm(dir, { recursive: true, force: true });
});

async function start(): Promise<{ cli: CliProcess; base: string }> {
  const cli = startCli(['run', '--clock-speed', '100', '--config', join(dir, 'sentinel.yaml')], { SLACK_BOT_TOKEN: 'xoxb-disk-token-91ab' });
  processes.push(cli);
  const line = await Promise.race([
    cli.waitForLine(/info service_started listen=/),
    cli.exited.then((code) => Promise.reject(new Error(`sentinel run exited with ${code}:\n${cli.lines.join('\n')}`))),
  ]);
  return { cli, base: `http://${/listen=(\S+)/.exec(line)![1]}` };
}

/** A directory where the store's temp file goes: every later write of that key fails (EISDIR). */
async function blockWrites(path: string): Promise<void> {
  await eventually(async () => {
    try {
      await mkdir(path);
      return true;
    } catch {
      await rm(path, { force: true }).catch(() => undefined); // a write was in progress: take its place
      return false;
    }
  }, `a directory at ${path}`);
}

const metric = async (base: string, name: string): Promise<number> => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(await (await fetch(`${base}/metrics`)).text())?.[1] ?? 0);

describe('sentinel run when the disk fails', () => {
  it('pages although no state can be written, counts the failures and logs them once a minute', async () => {
    const { cli, base } = await start();
    await eventually(async () => (await metric(base, 'sentinel_rule_evaluations_total')) >= 2, 'two evaluations');
    // From now on every write fails.
    for (const key of ['escalation', 'service-state']) await blockWrites(join(data, `${key}.json.${cli.child.pid}.tmp`));
    await blockWrites(join(data, 'service-state.journal')); // the detector's incremental frames go here
    failing = true;
    await eventually(() => slack.topLevel().length === 1, 'the page, with a data_dir that takes no writes', 20_000);
    await eventually(async () => (await metric(base, 'sentinel_state_write_failures_total')) >= 3, 'write failures counted');
    expect(cli.lines.filter((l) => l.includes('cannot write the escalation state')).length).toBe(1);
    expect(cli.lines.filter((l) => l.includes('error state_write_failed')).length).toBe(1);

    // Killed while the disk is broken; a crash loop also leaves temp files (and here, truncated files).
    cli.child.kill('SIGKILL');
    await cli.exited;
    for (const key of ['escalation', 'service-state']) await rm(join(data, `${key}.json.${cli.child.pid}.tmp`), { recursive: true });
    await writeFile(join(data, 'escalation.json.4242.tmp'), 'x'.repeat(1000));
    const saved = await readFile(join(data, 'escalation.json'), 'utf8').catch(() => '{"version":1,"seq":0}');
    await writeFile(join(data, 'escalation.json'), saved.slice(0, Math.floor(saved.length / 2)));
    await writeFile(join(data, 'service-state.json'), '');
  }, 60_000);

  it('sets unreadable state aside at the next start, and resolves the alert nobody reports after resolve_timeout', async () => {
    failing = false;
    const { cli } = await start();
    const setAside = cli.lines.filter((l) => l.includes('state_file_set_aside'));
    expect(setAside.some((l) => /key=escalation/.test(l))).toBe(true);
    expect(setAside.some((l) => /key=service-state .*reason="the file is empty"/.test(l))).toBe(true);
    const names = await readdir(data);
    expect(names.filter((n) => /^escalation\.json\.corrupt-/.test(n))).toHaveLength(1);
    expect(names.filter((n) => /^service-state\.json\.corrupt-/.test(n))).toHaveLength(1);
    expect(names.some((n) => n.endsWith('.tmp'))).toBe(false);

    // A fresh incident pages; then the detector's state is lost again (empty file, SIGKILL) while the
    // escalation state still holds the firing alert: resolve_timeout must end it.
    failing = true;
    await eventually(() => slack.topLevel().length === 2, 'a page after the fresh start', 20_000);
    failing = false;
    cli.child.kill('SIGKILL');
    await cli.exited;
    await writeFile(join(data, 'service-state.json'), '{"version":1,"savedAtMs":');
    const again = await start();
    await eventually(() => slack.topLevel()[1]!.text.includes('RESOLVED'), 'the RESOLVED notice after resolve_timeout', 20_000);
    expect(again.cli.lines.some((l) => l.includes('resolve_timeout'))).toBe(true);

    // SIGHUP with an alias bomb: rejected with file:line, the service keeps running and answering.
    await writeFile(join(dir, 'rules.yaml'), ALIAS_BOMB);
    again.cli.child.kill('SIGHUP');
    const rejected = await again.cli.waitForLine(/error reload_rejected/);
    expect(rejected).toMatch(/rules\.yaml:\d+:\d+: YAML: /);
    expect((await fetch(`${again.base}/healthz`)).status).toBe(200);
    const reload = await fetch(`${again.base}/-/reload`, { method: 'POST', headers: bearerFromDataDir(data) });
    expect(reload.status).toBe(400);
    expect(JSON.stringify(await reload.json())).toMatch(/rules\.yaml:\d+:\d+/);
    await writeFile(join(dir, 'rules.yaml'), RULES);
    again.cli.child.kill('SIGTERM');
    expect(await again.cli.exited).toBe(0);
  }, 60_000);
});
