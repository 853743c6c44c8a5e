// Wrong pages from the data itself, against the real `sentinel run` process: replicas exposing the same
// series, a series twice in one scrape, +Inf in a counter, a target that stops answering, samples stamped
// an hour old or ten years ahead, and the scrape limits. The service runs with --clock-speed 100 (a 1m
// evaluation is 600 ms of real time); pages are read from the local Slack server, counters from /metrics.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../escalate/support/slack-server.js';
import { ensureBuilt, eventually, startCli, type CliProcess } from './support/cli.js';
import { listen, type TestServer } from './support/servers.js';
import { authFailuresRules } from './support/auth-failures-rule.js';

const SLACK_TOKEN = 'xoxb-scrape-faults-3c9e1d';
const AUTH_RULE = authFailuresRules({ summary: "{{ $labels.partner }} answers 401 to {{ $value }} calls a second" });

let slack: FakeSlack;
const processes: CliProcess[] = [];
const servers: TestServer[] = [];
const dirs: string[] = [];

beforeAll(() => ensureBuilt(), 180_000);
// A Slack of its own per test: its pages are that test's alone.
beforeEach(async () => {
  slack = await startFakeSlack();
});

afterEach(async () => {
  for (const p of processes.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await slack.close();
});

afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** A loopback exporter whose page the test rewrites; `answering = false` drops every connection. */
async function exporter(page: () => string): Promise<TestServer & { answering: boolean }> {
  const control = { answering: true };
  const server = await listen((req, res) => {
    if (!control.answering) return req.socket.destroy();
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(page());
  });
  servers.push(server);
  return {
    url: `${server.url}/metrics`,
    port: server.port,
    close: server.close,
    get answering() { return control.answering; },
    set answering(on: boolean) { control.answering = on; },
  };
}

function config(targets: string, rules = './rules.yaml'): string {
  return `listen:
  host: 127.0.0.1
  port: 0
data_dir: ./data
rules: ${rules}
evaluation_interval: 1m
scrape_interval: 15s
scrape_timeout: 5s
targets:
${targets}escalation:
  global:
    slack_api_url: ${slack.url}
    slack_token_env: SLACK_BOT_TOKEN
  route:
    receiver: oncall
    group_by: [rule, partner, target]
    group_wait: 0s
    group_interval: 5m
    repeat_interval: 1h
  receivers:
    - name: oncall
      slack_configs:
        - channel: '#integrations-oncall'
`;
}

async function startService(yaml: string, rules = AUTH_RULE): Promise<{ cli: CliProcess; base: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'sentinel-scrape-faults-'));
  dirs.push(dir);
  await writeFile(join(dir, 'rules.yaml'), rules);
  await writeFile(join(dir, 'sentinel.yaml'), yaml);
  const cli = startCli(['run', '--clock-speed', '100', '--config', join(dir, 'sentinel.yaml')], { SLACK_BOT_TOKEN: SLACK_TOKEN });
  processes.push(cli);
  const line = await Promise.race([
    cli.waitForLine(/info service_started listen=/),
    cli.exited.then((code) => Promise.reject(new Error(`sentinel run exited with ${code}:\n${cli.lines.join('\n')}`))),
  ]);
  return { cli, base: `http://${/listen=(\S+)/.exec(line)![1]}` };
}

const metricsOf = async (base: string): Promise<string> => (await fetch(`${base}/metrics`)).text();
async function evaluations(base: string): Promise<number> {
  return Number(/^sentinel_rule_evaluations_total (\d+)/m.exec(await metricsOf(base))?.[1] ?? 0);
}
async function waitEvaluations(base: string, n: number): Promise<void> {
  const from = await evaluations(base);
  await eventually(async () => (await evaluations(base)) >= from + n, `${n} more evaluations`, 30_000);
}
function counter(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}
const pages = (): Array<{ text: string }> => slack.topLevel();
async function alerts(base: string): Promise<Array<{ id: string; rule: string; state: string; labels: Record<string, string> }>> {
  return ((await (await fetch(`${base}/api/alerts`)).json()) as { alerts: Array<{ id: string; rule: string; state: string; labels: Record<string, string> }> }).alerts;
}

/** A client of partner acme: 10 calls per scrape interval (150 ms real), all 401 while `incident` is on.
 *  Counted in real time, as a real exporter does, so calls made while nobody scrapes still count. */
function partnerPage(state: { ok: number; auth: number; incident: boolean; authValue?: () => string }): () => string {
  let last = performance.now();
  return () => {
    const calls = Math.round(((performance.now() - last) / 150) * 10);
    last = performance.now();
    if (state.incident) state.auth += calls;
    else state.ok += calls;
    return [
      '# TYPE integration_requests_total counter',
      `integration_requests_total{partner="acme",outcome="success"} ${state.ok}`,
      `integration_requests_total{partner="acme",outcome="auth_error"} ${state.authValue?.() ?? state.auth}`,
      '',
    ].join('\n');
  };
}

describe('sentinel run against hostile data', () => {
  it('pages nothing for two replicas exposing the same series, nor for one series twice in a scrape, and counts the duplicate', async () => {
    // Each replica's counter is steady; read as one series their values alternate 100 / 5000: a "reset" each time.
    const a = await exporter(() => 'integration_requests_total{partner="acme",outcome="auth_error"} 100\n');
    const b = await exporter(() => 'integration_requests_total{partner="acme",outcome="auth_error"} 5000\n');
    const dup = await exporter(() =>
      ['integration_requests_total{partner="beta",outcome="auth_error"} 7000', 'integration_requests_total{outcome="auth_error",partner="beta"} 20', ''].join('\n'),
    );
    const { base, cli } = await startService(
      config(`  - name: replica-a\n    url: ${a.url}\n    instance: 10.0.0.1:9464\n  - name: replica-b\n    url: ${b.url}\n  - name: doubled\n    url: ${dup.url}\n`),
    );
    await waitEvaluations(base, 6);
    expect(pages(), cli.lines.join('\n')).toEqual([]);
    expect(await alerts(base)).toEqual([]);
    const metrics = await metricsOf(base);
    expect(counter(metrics, 'sentinel_scrape_samples_rejected_total', 'target="doubled",reason="duplicate"')).toBeGreaterThanOrEqual(6);
    expect(metrics).not.toMatch(/sentinel_scrape_samples_rejected_total\{target="replica-/);
    expect(cli.lines.some((l) => /warn scrape_samples_rejected target=doubled duplicate=1/.test(l))).toBe(true);
  }, 60_000);

  it('rejects +Inf and NaN in a counter: the firing alert neither resolves nor pages again, and the counter still reads', async () => {
    const partner = { ok: 0, auth: 0, incident: true, authValue: undefined as undefined | (() => string) };
    const target = await exporter(partnerPage(partner));
    const { base, cli } = await startService(config(`  - name: checkin\n    url: ${target.url}\n`));
    await eventually(() => pages().length === 1, 'the page', 30_000);
    const infinite = ['+Inf', 'NaN', '+Inf'];
    partner.authValue = () => infinite.shift() ?? String(partner.auth);
    await eventually(() => infinite.length === 0, 'three non-finite scrapes served');
    // Long enough for the +Inf to leave the 2m rate window (Inf - Inf: the blind counter resolves the alert).
    await waitEvaluations(base, 8);
    expect(pages()).toHaveLength(1);
    expect(pages()[0]!.text).not.toContain('RESOLVED');
    expect((await alerts(base)).map((x) => [x.rule, x.state])).toEqual([['partner_auth_failures', 'firing']]);
    expect(counter(await metricsOf(base), 'sentinel_scrape_samples_rejected_total', 'target="checkin",reason="non_finite"')).toBe(3);
    // Not blinded: when the 401s stop, the same counter shows it and the alert resolves.
    partner.incident = false;
    await eventually(() => pages()[0]!.text.includes('RESOLVED'), 'the resolved notice', 30_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${cli.lines.join('\n')}`);
    });
    expect(pages()).toHaveLength(1);
  }, 60_000);

  it('keeps the alerts of a target that stops answering firing (stale, not resolved) and pages target_down after down_after', async () => {
    const partner = { ok: 0, auth: 0, incident: true };
    const target = await exporter(partnerPage(partner));
    const { base, cli } = await startService(config(`  - name: checkin\n    url: ${target.url}\n    instance: checkin-1\n    down_after: 2m\n`));
    await eventually(() => pages().length === 1, 'the partner page', 30_000);
    target.answering = false;
    await eventually(() => pages().length === 2, 'the target_down page', 30_000);
    expect(pages()[1]!.text).toMatch(/^\[FIRING\] Target down/);
    // Well past the rule's stale_after (5m) and rate_window (2m): the partner alert still fires.
    await waitEvaluations(base, 10);
    const during = await alerts(base);
    expect(during.map((x) => [x.rule, x.state]).sort()).toEqual([['partner_auth_failures', 'firing'], ['target_down', 'firing']]);
    expect(during.find((x) => x.rule === 'target_down')!.labels).toEqual({ target: 'checkin', instance: 'checkin-1' });
    expect(pages().some((p) => p.text.includes('RESOLVED'))).toBe(false);
    expect(await metricsOf(base)).toMatch(/^sentinel_target_up\{target="checkin"\} 0$/m);

    // Back, still failing: target_down resolves, the partner alert goes on; then the partner recovers.
    target.answering = true;
    await eventually(() => pages()[1]!.text.includes('RESOLVED'), 'target_down resolved', 30_000);
    expect(pages()[0]!.text).not.toContain('RESOLVED');
    partner.incident = false;
    await eventually(() => pages()[0]!.text.includes('RESOLVED'), 'the partner alert resolved', 30_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${cli.lines.join('\n')}`);
    });
    expect(pages()).toHaveLength(2);
  }, 90_000);

  it('counts samples stamped an hour old or ten years ahead, fails scrapes over sample_limit, label_limit and new_series_limit, and puts instance on the series', async () => {
    const hourAgo = Date.now() - 3_600_000;
    const decadeAhead = Date.now() + 10 * 365 * 86_400_000;
    const stamped = await exporter(() => `queue_depth{queue="a"} 9 ${hourAgo}\nqueue_depth{queue="b"} 9 ${decadeAhead}\nqueue_depth{queue="c"} 1\n`);
    const big = await exporter(() => Array.from({ length: 5 }, (_, i) => `queue_depth{queue="q${i}"} 1\n`).join(''));
    const wide = await exporter(() => 'queue_depth{queue="w",a="1",b="2",c="3"} 1\n');
    let request = 0;
    const churning = await exporter(() => Array.from({ length: 3 }, () => `queue_depth{queue="r",request_id="${++request}"} 1\n`).join(''));
    const renamed = await exporter(() => 'queue_depth{queue="x",instance="exporter-says"} 50\n');
    const rules = `rules:
  - name: queue_deep
    kind: threshold
    select: queue_depth
    by: [queue, instance, exported_instance]
    op: '>'
    value: 5
    for: 1m
    severity: warning
    summary: 'queue {{ $labels.queue }} holds {{ $value }}'
`;
    const { base, cli } = await startService(
      config(
        [
          `  - name: stamped\n    url: ${stamped.url}\n`,
          `  - name: big\n    url: ${big.url}\n    sample_limit: 3\n`,
          `  - name: wide\n    url: ${wide.url}\n    label_limit: 2\n`,
          `  - name: churning\n    url: ${churning.url}\n    new_series_limit: 1\n`,
          `  - name: renamed\n    url: ${renamed.url}\n    instance: worker-7\n    honor_labels: false\n`,
        ].join(''),
      ),
      rules,
    );
    await waitEvaluations(base, 3);
    const metrics = await metricsOf(base);
    expect(counter(metrics, 'sentinel_scrape_samples_rejected_total', 'target="stamped",reason="too_old"')).toBeGreaterThan(0);
    expect(counter(metrics, 'sentinel_scrape_samples_rejected_total', 'target="stamped",reason="too_far_ahead"')).toBeGreaterThan(0);
    expect(counter(metrics, 'sentinel_scrape_failures_total', 'target="big",reason="sample_limit"')).toBeGreaterThan(0);
    expect(counter(metrics, 'sentinel_scrape_failures_total', 'target="wide",reason="label_limit"')).toBeGreaterThan(0);
    expect(counter(metrics, 'sentinel_scrape_failures_total', 'target="churning",reason="new_series_limit"')).toBeGreaterThan(0);
    expect(cli.lines.some((l) => /warn scrape_samples_rejected target=stamped too_old=1 too_far_ahead=1/.test(l))).toBe(true);
    const targets = ((await (await fetch(`${base}/api/targets`)).json()) as { targets: Array<{ name: string; health: string; lastErrorReason?: string; rejectedSamples?: object }> }).targets;
    const byName = Object.fromEntries(targets.map((t) => [t.name, t]));
    expect(byName.stamped).toMatchObject({ health: 'up', rejectedSamples: { too_old: 1, too_far_ahead: 1 } });
    expect(byName.big).toMatchObject({ health: 'down', lastErrorReason: 'sample_limit' });
    expect(byName.churning).toMatchObject({ health: 'down', lastErrorReason: 'new_series_limit' });
    // The only deep queues are a's and b's out-of-bounds samples (never evaluated) and x (50): x alone alerts,
    // under the target's instance, the exporter's own kept as exported_instance.
    await eventually(async () => (await alerts(base)).length > 0, 'the queue alert', 30_000);
    expect((await alerts(base)).map((x) => x.labels)).toEqual([{ queue: 'x', instance: 'worker-7', exported_instance: 'exporter-says' }]);
  }, 60_000);
});
