// The compiled rule pack and escalation policy, run by the real Prometheus and Alertmanager against a
// service instrumented with the shim: the partner starts answering 403s, the page reaches Slack (a local
// sink) through Alertmanager, the partner e-mail step follows, and both resolve when the incident ends.
// Durations are the pack's own, scaled by compile's test-only time scale (1 hour -> 15 s).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, loadRules, renderDashboards, writeOutputs } from 'integration-sentinel';
import { startAlertmanager, type RunningAlertmanager } from './support/alertmanager.ts';
import { DEMO_PARTNER, startDemoService, type DemoService } from './support/demo-service.ts';
import { PARTNER_CONTACT, SLACK_TOKEN, writeE2ePolicy } from './support/policy.ts';
import { findBinary, waitFor } from './support/processes.ts';
import { startPrometheus, type RunningPrometheus } from './support/prometheus.ts';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.ts';
import { startWebhookSink, type WebhookSink } from './support/webhook-sink.ts';

const TIME_SCALE = 1 / 240;
const RULE = 'partner_error_code_shift';
const prometheusBin = findBinary('prometheus');
const alertmanagerBin = findBinary('prometheus-alertmanager', 'alertmanager');
const missing = [!prometheusBin && 'prometheus', !alertmanagerBin && 'prometheus-alertmanager'].filter(Boolean);
if (missing.length > 0) {
  console.warn(`SKIPPED the compiled-pipeline e2e test: ${missing.join(' and ')} not installed (apt-get install prometheus prometheus-alertmanager; .ci/run does).`);
}

interface SlackPost {
  channel?: string;
  attachments?: Array<{ title?: string; text?: string }>;
}

describe.skipIf(missing.length > 0)('compiled rules and policy on the real Prometheus and Alertmanager', () => {
  let dir: string;
  let slack: WebhookSink;
  let smtp: SmtpSink;
  let demo: DemoService;
  let alertmanager: RunningAlertmanager;
  let prometheus: RunningPrometheus;
  let firstScrapeAtMs = 0;
  let incidentAtMs = 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sentinel-e2e-'));
    [slack, smtp] = await Promise.all([startWebhookSink(), startSmtpSink()]);
    const policy = await writeE2ePolicy(dir, `${slack.url}/api/`, smtp.address);
    const secrets = join(dir, 'secrets');
    await mkdir(secrets);
    await writeFile(join(secrets, 'slack_bot_token'), SLACK_TOKEN);

    const rules = await compile('prometheus', { rules: 'rules', timeScale: TIME_SCALE });
    const am = await compile('alertmanager', { policy, timeScale: TIME_SCALE, secretsDir: secrets });
    if (!rules.ok || !am.ok) throw new Error(`compile failed: ${JSON.stringify(rules.ok ? am : rules)}`);
    await writeOutputs(join(dir, 'prometheus'), rules.result.files);
    await writeOutputs(join(dir, 'alertmanager'), am.result.files);

    demo = await startDemoService();
    alertmanager = await startAlertmanager(alertmanagerBin!, join(dir, 'alertmanager', 'alertmanager.yml'));
    prometheus = await startPrometheus({
      binary: prometheusBin!,
      ruleFiles: [join(dir, 'prometheus', 'rules', '*.yml')],
      scrapeTargets: [demo.metricsAddress],
      alertmanager: alertmanager.address,
    });
    await waitFor('the first scrape of the demo service', async () => {
      const r = await prometheus.query(`integration_requests_total{partner="${DEMO_PARTNER}"}`);
      return r.data && r.data.result.length > 0 ? true : undefined;
    }, 15_000);
    firstScrapeAtMs = Date.now();
  }, 40_000);

  afterAll(async () => {
    await Promise.allSettled([prometheus?.stop(), alertmanager?.stop()]);
    await Promise.allSettled([demo?.stop(), slack?.close(), smtp?.close()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const slackPosts = (state: 'FIRING' | 'RESOLVED') =>
    slack.received.filter((p) => {
      const title = (p.body as SlackPost).attachments?.[0]?.title ?? '';
      return title.startsWith(`[${state}]`) && title.includes(RULE) && title.includes(DEMO_PARTNER);
    });
  const partnerMails = (state: 'FIRING' | 'RESOLVED') =>
    smtp.received.filter((m) => m.to.includes(PARTNER_CONTACT) && m.raw.includes(`[${state}]`) && m.raw.includes(RULE));

  it('pages Slack through Alertmanager when the partner starts answering 403s, and e-mails the partner after the escalation step', async () => {
    const diagnose = () => `\n--- prometheus ---\n${prometheus.logTail()}\n--- alertmanager ---\n${alertmanager.logTail()}\ncalls: ${JSON.stringify(demo.calls)}`;
    // The scaled warm-up (1 h -> 15 s): a partner seen for less than that may not page.
    const warmUpMs = 16_000 - (Date.now() - firstScrapeAtMs);
    if (warmUpMs > 0) await new Promise((r) => setTimeout(r, warmUpMs));
    expect((await prometheus.alerts()).filter((a) => a.labels.alertname === RULE), 'no page on normal traffic').toEqual([]);

    demo.breakPartner();
    incidentAtMs = Date.now();
    const firing = await waitFor('the alert to fire in Prometheus', async () => {
      const alerts = await prometheus.alerts();
      return alerts.find((a) => a.labels.alertname === RULE && a.state === 'firing');
    }, 20_000).catch((e: Error) => { throw new Error(e.message + diagnose()); });
    expect(firing.labels).toMatchObject({ partner: DEMO_PARTNER, error_code: '403', severity: 'critical', rule: RULE });

    const inAlertmanager = await waitFor('the alert in Alertmanager', async () => {
      return (await alertmanager.alerts()).find((a) => a.labels.alertname === RULE && a.status.state === 'active');
    }, 10_000);
    expect(inAlertmanager.labels.partner).toBe(DEMO_PARTNER);

    const page = await waitFor('the Slack page', async () => slackPosts('FIRING')[0], 10_000).catch((e: Error) => { throw new Error(e.message + diagnose()); });
    expect(page.path).toBe('/api/chat.postMessage');
    expect(page.authorization).toBe(`Bearer ${SLACK_TOKEN}`);
    expect((page.body as SlackPost).channel).toBe('#integrations-oncall');
    expect((page.body as SlackPost).attachments?.[0]?.text).toContain(`error_code=403`);

    // The escalation step (after 15m -> 4 s scaled): the partner's own contacts get an e-mail.
    await waitFor('the partner e-mail step', async () => partnerMails('FIRING')[0], 15_000).catch((e: Error) => { throw new Error(e.message + diagnose()); });
  }, 70_000);

  it('runs every dashboard panel query on Prometheus during the incident: each parses, and returns data where the demo produces it', async () => {
    // Let the incident's error series exist for more than the scaled window, so every baseline and
    // share the rule panels draw has at least two samples behind it.
    const settleMs = incidentAtMs + 12_000 - Date.now();
    if (settleMs > 0) await new Promise((r) => setTimeout(r, settleMs));
    const pack = await loadRules('rules');
    if (!pack.ok) throw new Error('the default rule pack does not load');
    const dashboards = renderDashboards({ rules: pack.rules });
    const failures: string[] = [];
    const empty: string[] = [];
    let queries = 0;
    for (const [file, text] of dashboards) {
      const dashboard = JSON.parse(text) as { panels: Array<{ title: string; type: string; targets?: Array<{ expr: string; refId: string }> }> };
      for (const panel of dashboard.panels) {
        for (const target of panel.targets ?? []) {
          queries++;
          const expr = target.expr.replaceAll('$partner', DEMO_PARTNER).replaceAll('$__rate_interval', '15s');
          const result = await prometheus.query(expr);
          if (result.status !== 'success') failures.push(`${file} "${panel.title}": ${result.error}\n  ${expr}`);
          else if (result.data!.result.length === 0) empty.push(`${file} "${panel.title}" ${target.refId}`);
        }
      }
    }
    expect(queries).toBeGreaterThan(20);
    expect(failures).toEqual([]);
    expect(empty.sort().join('\n')).toEqual([...EXPECTED_EMPTY].sort().join('\n'));
  }, 20_000);

  it('shows the firing alert once in the dashboards\' alerts table, with its rule\'s runbook joined on', async () => {
    const pack = await loadRules('rules');
    if (!pack.ok) throw new Error('the default rule pack does not load');
    const overview = JSON.parse(renderDashboards({ rules: pack.rules }).get('sentinel-overview.json')!) as { panels: Array<{ title: string; targets?: Array<{ expr: string }> }> };
    const expr = overview.panels.find((p) => p.title === 'Alerts firing')!.targets![0]!.expr;
    const result = await prometheus.query(expr);
    expect(result.status).toBe('success');
    const rows = result.data!.result.filter((r) => r.metric.alertname === RULE && r.metric.partner === DEMO_PARTNER && r.metric.error_code === '403');
    expect(rows, 'one row per alert, not one with and one without the runbook').toHaveLength(1);
    expect(rows[0]!.metric.runbook_url).toBe(pack.rules.find((r) => r.name === RULE)!.runbook);
  }, 20_000);

  it('resolves in Slack and in the partner e-mail when the partner answers normally again', async () => {
    const diagnose = () => `\n--- prometheus ---\n${prometheus.logTail()}\n--- alertmanager ---\n${alertmanager.logTail()}`;
    demo.healPartner();
    await waitFor('the resolved notice in Slack', async () => slackPosts('RESOLVED')[0], 25_000).catch((e: Error) => { throw new Error(e.message + diagnose()); });
    await waitFor('the resolved notice to the partner', async () => partnerMails('RESOLVED')[0], 10_000);
    expect(slackPosts('FIRING'), 'one page for the incident, not one per series or per evaluation').toHaveLength(1);
  }, 80_000);
});

/** Panels (and query refIds) rightly empty against the demo: it has no week-old history for the
 *  seasonal normal, and its database never times out, so no timeout ratio exists. */
const EXPECTED_EMPTY = [
  'sentinel-overview.json "Success rate against learned normal" B',
  'sentinel-partner.json "Success rate against learned normal" B',
  'sentinel-overview.json "Database timeouts" A',
  'sentinel-partner.json "Rule db_operation_timeouts" A',
  'sentinel-partner.json "Rule db_operation_timeouts" B',
];
