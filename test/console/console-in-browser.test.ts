// The console as a person uses it: Debian's Chromium (through playwright-core) on the page the real
// `sentinel run` serves, during an incident of three partners. An alert appears; a silence created from
// one alert (its labels filled in) mutes that group's next notifications while another group keeps
// repeating; Acknowledge stops the escalation step that a third, unacknowledged group does reach.
// The service runs at --clock-speed 100: a minute is 0.6 s, the 30-minute escalation step 18 s. The
// writes go through the console's sign-in with the API token the service generated into data_dir.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../escalate/support/slack-server.js';
import { ensureBuilt, eventually, startCli, type CliProcess } from '../service/support/cli.js';
import { listen, type TestServer } from '../service/support/servers.js';
import { authFailuresRules } from '../service/support/auth-failures-rule.js';

const CHROMIUM = '/usr/bin/chromium';
const PARTNERS = ['acme', 'globex', 'initech'];

const RULES = authFailuresRules({ runbook: 'https://runbooks.example.com/sentinel/auth-failures' });

let dir: string;
let slack: FakeSlack;
let target: TestServer;
let cli: CliProcess | undefined;
let browser: Browser | undefined;
let incident = false;
const errors: Record<string, number> = { acme: 0, globex: 0, initech: 0 };

beforeAll(async () => {
  ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'sentinel-console-'));
  slack = await startFakeSlack();
  target = await listen((_req, res) => {
    res.end(PARTNERS.map((p) => {
      if (incident) errors[p]! += 10;
      return `integration_requests_total{partner="${p}",operation="GET /patients/{id}",outcome="auth_error",error_code="401"} ${errors[p]}`;
    }).join('\n') + '\n');
  });
  await writeFile(join(dir, 'rules.yaml'), RULES);
  await writeFile(join(dir, 'sentinel.yaml'), `listen: { host: 127.0.0.1, port: 0 }
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
  route:
    receiver: oncall
    group_by: [alertname, partner]
    group_wait: 0s
    group_interval: 1m
    repeat_interval: 3m
    steps:
      - after: 30m
        receiver: leads
  receivers:
    - name: oncall
      slack_configs:
        - channel: '#oncall'
    - name: leads
      slack_configs:
        - channel: '#leads'
`);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (cli && cli.child.exitCode === null) cli.child.kill('SIGKILL');
  await target?.close();
  await slack?.close();
  await rm(dir, { recursive: true, force: true });
});

const pageOf = (partner: string) => slack.topLevel().find((m) => m.channel === 'CONCALL' && m.text.includes(partner));
const repliesTo = (partner: string) => { const m = pageOf(partner); return m ? slack.replies(m.ts).length : 0; };
const leadsPages = () => slack.topLevel().filter((m) => m.channel === 'CLEADS');

/** The charts the page drew (uPlot's data: seconds), with the page's own "now" and each alert's span. */
async function chartsDrawn(page: Page): Promise<{ firstMs: number; lastMs: number; resolvedMs?: number; nowMs: number }[]> {
  return page.evaluate(() => {
    const nowMs = Number(document.getElementById('as-of')!.dataset.nowMs);
    const spans = (JSON.parse(document.getElementById('report-data')!.textContent!) as { spans: { to: number | null }[] }[]).map((c) => c.spans[0]!.to);
    const plots = (window as unknown as { sentinelCharts: { data: number[][] }[] }).sentinelCharts;
    return plots.map((u, i) => ({ firstMs: u.data[0]![0]! * 1000, lastMs: u.data[0]!.at(-1)! * 1000, nowMs, ...(spans[i] != null ? { resolvedMs: spans[i]! * 1000 } : {}) }));
  });
}

describe.skipIf(!existsSync(CHROMIUM))('the console in a real browser', () => {
  it('shows the alert; a silence from it mutes its group; Acknowledge stops the escalation step', async () => {
    cli = startCli(['run', '--clock-speed', '100', '--config', join(dir, 'sentinel.yaml')], { SLACK_BOT_TOKEN: 'xoxb-console-test' });
    const base = `http://${/listen=(\S+)/.exec(await cli.waitForLine(/info service_started listen=/))![1]}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const page: Page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(base + '/');
    expect(await page.locator('#alerts h3').first().innerText()).toBe('Firing (0)');
    expect(await page.locator('#targets').innerText()).toContain('checkin-service');
    expect(await page.locator('#rules').innerText()).toContain('partner_auth_failures');

    // Writes need the API token: sign in once with the one the service generated into data_dir.
    await Promise.all([page.waitForURL(/console\/login/), page.getByRole('link', { name: 'sign in' }).click()]);
    await page.locator('input[name=token]').fill((await readFile(join(dir, 'data', 'api-token'), 'utf8')).trim());
    await Promise.all([page.waitForURL(/note=signed/), page.getByRole('button', { name: 'Sign in' }).click()]);
    expect(await page.getByRole('link', { name: 'sign in' }).count()).toBe(0);

    incident = true;
    await eventually(() => PARTNERS.every((p) => pageOf(p) !== undefined), 'three pages in #oncall', 60_000);
    const card = (partner: string) => page.locator(`.alert[data-alert-id*='partner="${partner}"']`);
    await eventually(async () => {
      await page.goto(base + '/');
      return (await page.locator('#alerts h3').first().innerText()) === 'Firing (3)';
    }, 'three firing alerts on the page', 15_000);
    expect(await card('acme').innerText()).toContain('acme answers 401s');
    expect(await card('acme').innerText()).toContain('CRITICAL · partner_auth_failures');
    expect(await card('acme').getByRole('link', { name: 'Runbook' }).getAttribute('href')).toBe('https://runbooks.example.com/sentinel/auth-failures');

    // Silence acme from its card: the form comes with the alert's labels.
    await Promise.all([page.waitForURL(/silence\/new/), card('acme').getByRole('link', { name: 'Silence…' }).click()]);
    const matchers = await page.locator('textarea[name=matchers]').inputValue();
    expect(matchers.split('\n')).toEqual(expect.arrayContaining(['alertname="partner_auth_failures"', 'partner="acme"']));
    await page.locator('select[name=duration]').selectOption('4h');
    await page.locator('input[name=createdBy]').fill('dana');
    await page.locator('input[name=comment]').fill('acme rotates its credentials, OPS-7');
    await Promise.all([page.waitForURL(/note=/), page.getByRole('button', { name: 'Create silence' }).click()]);
    expect(await page.getByRole('status').innerText()).toContain('created');
    expect(await page.locator('#silences').innerText()).toContain('partner="acme"');
    expect(await card('acme').innerText()).toContain('silenced by dana');

    // Acknowledge globex from its card.
    await Promise.all([page.waitForURL(/note=acknowledged/), card('globex').getByRole('button', { name: 'Acknowledge' }).click()]);
    expect(await page.getByRole('status').innerText()).toContain('acknowledged by console');
    expect(await card('globex').innerText()).toContain('acknowledged by console');
    expect(await card('globex').getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);

    // Repeats go on for initech (neither silenced nor acknowledged), never for acme after its silence.
    const acmeBefore = repliesTo('acme');
    const initechBefore = repliesTo('initech');
    await eventually(() => repliesTo('initech') >= initechBefore + 2, 'two more repeats for initech', 60_000);
    expect(repliesTo('acme')).toBe(acmeBefore);

    // The 30-minute step reaches #leads for initech only: globex was acknowledged, acme silenced.
    await eventually(() => leadsPages().length >= 1, 'the escalation step for initech', 60_000);
    await page.goto(base + '/');
    await page.waitForFunction(() => ((window as unknown as { sentinelCharts?: unknown[] }).sentinelCharts?.length ?? 0) >= 1);
    // The charts run to now (the last evaluation), not to the alert's last transition half an hour ago.
    const drawn = await chartsDrawn(page);
    expect(drawn.length).toBe(3);
    for (const chart of drawn) {
      expect(drawn[0]!.nowMs - chart.lastMs).toBeLessThanOrEqual(2 * 60_000);
      expect(chart.lastMs - chart.firstMs).toBeGreaterThanOrEqual(30 * 60_000);
    }
    await page.screenshot({ path: process.env.SENTINEL_SCREENSHOT ?? join(dir, 'console.png'), fullPage: true });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(leadsPages().map((m) => m.text)).toEqual([expect.stringContaining('initech')]);

    // Expire the silence from the page: it is listed as expired, acme pages again.
    await Promise.all([page.waitForURL(/note=silence.*expired/), page.locator('#silences').getByRole('button', { name: 'Expire' }).click()]);
    expect(await page.getByRole('status').innerText()).toContain('expired');
    expect(await page.locator('#silences').innerText()).toContain('expired');
    await eventually(() => repliesTo('acme') > acmeBefore, 'acme notified again after the silence ends', 20_000);

    // The incident ends: the alerts resolve, and their charts stay on the page, drawn on past the resolve.
    incident = false;
    await eventually(async () => {
      await page.goto(base + '/');
      return (await page.locator('#alerts .alert-resolved').count()) === 3;
    }, 'three resolved alerts on the page', 30_000);
    await eventually(async () => {
      await page.goto(base + '/');
      await page.waitForFunction(() => ((window as unknown as { sentinelCharts?: unknown[] }).sentinelCharts?.length ?? 0) >= 3);
      const resolved = await chartsDrawn(page);
      return resolved.length === 3 && resolved.every((c) => c.resolvedMs !== undefined && c.lastMs >= c.resolvedMs + 3 * 60_000);
    }, 'resolved charts drawn on past the resolve', 30_000);
    expect(await page.locator('#alerts').innerText()).toMatch(/Resolved in the last 15 min \(3\)/);
    // It starts again, so the restart below finds the alerts firing (the JavaScript-off reading).
    incident = true;
    await eventually(async () => {
      await page.goto(base + '/');
      return (await page.locator('#alerts h3').first().innerText()) === 'Firing (3)';
    }, 'the alerts firing again', 30_000);

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  }, 300_000);

  it('reads with JavaScript off', async () => {
    if (cli && cli.child.exitCode === null) {
      cli.child.kill('SIGKILL');
      await cli.exited;
    }
    browser ??= await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    cli = startCli(['run', '--clock-speed', '100', '--config', join(dir, 'sentinel.yaml')], { SLACK_BOT_TOKEN: 'xoxb-console-test' });
    const base = `http://${/listen=(\S+)/.exec(await cli.waitForLine(/info service_started listen=/))![1]}`;
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(base + '/');
    expect(await page.locator('#alerts').innerText()).toContain('partner_auth_failures');
    expect(await page.locator('#silences').innerText()).toContain('expired');
    expect(await page.locator('#targets').innerText()).toContain('checkin-service');
    await context.close();
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  }, 60_000);
});
