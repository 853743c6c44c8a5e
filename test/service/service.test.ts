import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SentinelService } from '../../src/service/service.js';
import type { SampleBatch } from '../../src/model/index.js';
import { parseExposition } from '../../src/ingest/index.js';
import { FakeEscalator, fakeDetector, fakeSlackAction, type FakeRules } from './support/fakes.js';
import { serviceYaml, writeConfig, type ConfigFiles } from './support/configs.js';
import { closedPort, listen, metricsTarget, type TestServer } from './support/servers.js';
import { bearer } from './support/api-token.js';
import { savedState } from './support/saved-state.js';

const SECRET = 'xoxb-test-secret-0123456789';
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Harness {
  service: SentinelService<FakeRules>;
  escalator: FakeEscalator;
  logs: string[];
  batches: SampleBatch[];
  base: string;
}

async function startService(files: ConfigFiles, options: { failHandle?: () => boolean } = {}): Promise<Harness> {
  const logs: string[] = [];
  const batches: SampleBatch[] = [];
  let escalator!: FakeEscalator;
  const started = await SentinelService.start(files.config, {
    detector: fakeDetector((b) => batches.push(b)),
    parse: parseExposition,
    timers: false,
    env: { TEST_SLACK_TOKEN: SECRET },
    writeLog: (line) => logs.push(line),
    readSlackAction: fakeSlackAction,
    createEscalator: async ({ policy, store }) => {
      escalator = new FakeEscalator(store, policy);
      if (options.failHandle) {
        const handle = escalator.handle.bind(escalator);
        escalator.handle = async (events, nowMs) => {
          if (options.failHandle!()) throw new Error('escalator died before recording');
          return handle(events, nowMs);
        };
      }
      return escalator;
    },
  });
  if (!started.ok) throw new Error(JSON.stringify(started.diagnostics));
  const service = started.service;
  cleanups.push(() => service.stop());
  const { port } = service.address();
  return { service, escalator, logs, batches, base: `http://127.0.0.1:${port}` };
}

async function target(body: string): Promise<TestServer & { body: string }> {
  const t = await metricsTarget(body);
  cleanups.push(() => t.close());
  return t;
}

async function files(yaml: string, rules?: string): Promise<ConfigFiles> {
  const f = await writeConfig(yaml, rules);
  cleanups.push(() => rm(f.dir, { recursive: true, force: true }));
  return f;
}

const T0 = Date.parse('2026-11-23T03:00:00Z');

describe('sentinel run, the service', () => {
  it('feeds the latest scrape of every target to the detector at the evaluation instant, each scrape once', async () => {
    const a = await target('partner_errors{partner="acme"} 1\n');
    const b = await target('queue_pending{queue="orders"} 7\n');
    const h = await startService(await files(serviceYaml([{ name: 'a', url: a.url }, { name: 'b', url: b.url, extra: '    labels:\n      service: checkin\n' }])));
    await h.service.scrapeAll();
    await h.service.evaluateOnce(T0);
    await h.service.evaluateOnce(T0 + 60_000);
    expect(h.batches[0]!.atMs).toBe(T0);
    expect(h.batches[0]!.samples.map((s) => s.series).sort()).toEqual(['partner_errors{partner="acme"}', 'queue_pending{queue="orders",service="checkin"}']);
    expect(h.batches[0]!.samples.find((s) => s.name === 'queue_pending')!.target).toBe('b');
    // No new scrape since: the second evaluation sees a gap, not the same values again.
    expect(h.batches[1]!.samples).toEqual([]);
  });

  it('keeps scraping the healthy target when others are down, slow or answer garbage, and counts each failure', async () => {
    const good = await target('partner_errors{partner="acme"} 1\nthis line is broken\npartner_calls{partner="acme"} 9\n');
    const garbage = await target('<html><body>502 Bad Gateway</body></html>\n');
    const hanging = await listen(() => {}); // accepts, never answers
    cleanups.push(() => hanging.close());
    const failing = await listen((_req, res) => {
      res.statusCode = 503;
      res.end('unavailable');
    });
    cleanups.push(() => failing.close());
    const down = await closedPort();
    const h = await startService(
      await files(
        serviceYaml([
          { name: 'good', url: good.url },
          { name: 'garbage', url: garbage.url },
          { name: 'hanging', url: `${hanging.url}/metrics` },
          { name: 'failing', url: `${failing.url}/metrics` },
          { name: 'down', url: `http://127.0.0.1:${down}/metrics` },
        ]),
      ),
    );
    await h.service.scrapeAll();
    await h.service.evaluateOnce(T0);
    expect(h.batches[0]!.samples.map((s) => s.name).sort()).toEqual(['partner_calls', 'partner_errors']);

    const metrics = await (await fetch(`${h.base}/metrics`)).text();
    expect(metrics).toContain('sentinel_scrape_failures_total{target="garbage",reason="garbage"} 1');
    expect(metrics).toContain('sentinel_scrape_failures_total{target="hanging",reason="timeout"} 1');
    expect(metrics).toContain('sentinel_scrape_failures_total{target="failing",reason="http_status"} 1');
    expect(metrics).toContain('sentinel_scrape_failures_total{target="down",reason="network"} 1');
    expect(metrics).toContain('sentinel_scrape_malformed_lines_total{target="good"} 1');
    expect(metrics).toContain('sentinel_target_up{target="good"} 1');
    expect(metrics).toMatch(/sentinel_scrape_duration_seconds_count\{target="hanging"\} 1/);

    const { targets } = (await (await fetch(`${h.base}/api/targets`)).json()) as { targets: Array<{ name: string; health: string; lastErrorReason?: string; lastError?: string }> };
    const byName = Object.fromEntries(targets.map((t) => [t.name, t]));
    expect(byName.good!.health).toBe('up');
    expect(byName.down!).toMatchObject({ health: 'down', lastErrorReason: 'network', lastError: 'ECONNREFUSED' });
    expect(byName.failing!).toMatchObject({ health: 'down', lastError: 'HTTP 503' });
    expect(h.logs.some((l) => /warn scrape_failed target=hanging reason=timeout/.test(l))).toBe(true);
    expect(h.logs.every((l) => l.endsWith('\n') && l.split('\n').length === 2)).toBe(true);
  });

  it('hands events to the escalator and writes state after each evaluation; a restart resumes without re-paging', async () => {
    const t = await target('partner_errors{partner="acme"} 9\n');
    const f = await files(serviceYaml([{ name: 'app', url: t.url }]));
    const first = await startService(f);
    await first.service.scrapeAll();
    const events = await first.service.evaluateOnce(T0);
    expect(events.map((e) => e.state)).toEqual(['firing']);
    expect(first.escalator.handled[0]!.events).toEqual(events);
    // Not stopped: a second process over the same data_dir, as after SIGKILL.
    const second = await startService(f);
    const alerts = (await (await fetch(`${second.base}/api/alerts`)).json()) as { alerts: Array<{ id: string; state: string }> };
    expect(alerts.alerts).toEqual([expect.objectContaining({ id: 'fake_threshold{partner="acme"}', state: 'firing' })]);
    expect(await metricsOf(second.base)).toContain('sentinel_alerts{state="firing",severity="critical"} 1');
    await second.service.scrapeAll();
    expect(await second.service.evaluateOnce(T0 + 60_000)).toEqual([]);
    t.body = 'partner_errors{partner="acme"} 0\n';
    await second.service.scrapeAll();
    expect((await second.service.evaluateOnce(T0 + 120_000)).map((e) => e.state)).toEqual(['resolved']);
  });

  it('restores learned state so a restart does not start learning from zero', async () => {
    const t = await target('partner_errors{partner="acme"} 1\n');
    const f = await files(serviceYaml([{ name: 'app', url: t.url }]));
    const first = await startService(f);
    for (let i = 0; i < 3; i++) {
      await first.service.scrapeAll();
      await first.service.evaluateOnce(T0 + i * 60_000);
    }
    const second = await startService(f);
    await second.service.scrapeAll();
    await second.service.evaluateOnce(T0 + 4 * 60_000);
    const saved = await savedState<{ detector: { learned: number; steps: number } }>(f.dataDir);
    expect(saved.detector).toMatchObject({ learned: 4, steps: 4 });
  });

  it('re-emits a transition after a crash that came before the escalator recorded it', async () => {
    const t = await target('partner_errors{partner="acme"} 9\n');
    const f = await files(serviceYaml([{ name: 'app', url: t.url }]));
    let fail = true;
    const first = await startService(f, { failHandle: () => fail });
    await first.service.scrapeAll();
    await expect(first.service.evaluateOnce(T0)).rejects.toThrow('escalator died');
    fail = false;
    const second = await startService(f);
    await second.service.scrapeAll();
    expect((await second.service.evaluateOnce(T0 + 60_000)).map((e) => e.state)).toEqual(['firing']);
  });

  it('persists nothing from a failed evaluation and hands its transition to the escalator at the next one', async () => {
    const t = await target('partner_errors{partner="acme"} 9\n');
    const f = await files(serviceYaml([{ name: 'app', url: t.url }]));
    let fail = true;
    const h = await startService(f, { failHandle: () => fail });
    await h.service.scrapeAll();
    await expect(h.service.evaluateOnce(T0)).rejects.toThrow('escalator died');
    await expect(readFile(join(f.dataDir, 'service-state.json'), 'utf8')).rejects.toThrow(/ENOENT/);
    fail = false;
    await h.service.scrapeAll();
    await h.service.evaluateOnce(T0 + 60_000);
    expect(h.escalator.handled.map((x) => x.events.map((e) => `${e.state}@${e.atMs - T0}`))).toEqual([['firing@0']]);
    const saved = await savedState<{ undelivered?: unknown; alerts: unknown[] }>(f.dataDir);
    expect(saved.undelivered).toBeUndefined();
    expect(saved.alerts).toHaveLength(1);
  });

  it('rejects a broken rule file on reload with file:line:col and the fix, and keeps the last good rules running', async () => {
    const t = await target('partner_errors{partner="acme"} 7\n');
    const f = await files(serviceYaml([{ name: 'app', url: t.url }]));
    const h = await startService(f);
    await writeFile(f.rules, 'threshold:\n  metric: partner_errors\n  abve: 10\n');
    const rejected = await fetch(`${h.base}/-/reload`, { method: 'POST', headers: bearer(h.service) });
    expect(rejected.status).toBe(400);
    const body = (await rejected.json()) as { errors: string[] };
    expect(body.errors).toContain(`${f.rules}:3:3: unknown field "abve": did you mean "above"?`);
    expect(h.logs.some((l) => l.includes('error reload_rejected') && l.includes(`${f.rules}:3:3`))).toBe(true);
    expect(await metricsOf(h.base)).toContain('sentinel_config_last_reload_successful 0');
    // Still the old bound (5): 7 fires.
    await h.service.scrapeAll();
    expect((await h.service.evaluateOnce(T0)).map((e) => e.state)).toEqual(['firing']);

    await writeFile(f.rules, 'threshold:\n  metric: partner_errors\n  above: 10\n');
    expect((await fetch(`${h.base}/-/reload`, { method: 'POST', headers: bearer(h.service) })).status).toBe(200);
    await h.service.scrapeAll();
    expect((await h.service.evaluateOnce(T0 + 60_000)).map((e) => e.state)).toEqual(['resolved']);
  });

  it('rejects a broken config file on reload and keeps scraping the last good targets', async () => {
    const t = await target('partner_errors{partner="acme"} 1\n');
    const f = await files(serviceYaml([{ name: 'app', url: t.url }]));
    const h = await startService(f);
    await writeFile(f.config, serviceYaml([{ name: 'app', url: t.url, extra: '    interval: 5 minutes\n' }]).replace('receiver: oncall', 'receiver: on-call'));
    const rejected = await fetch(`${h.base}/-/reload`, { method: 'POST', headers: bearer(h.service) });
    expect(rejected.status).toBe(400);
    const { errors } = (await rejected.json()) as { errors: string[] };
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(new RegExp(`^${f.config}:\\d+:\\d+: bad duration "5 minutes": write a number and a unit`));
    expect(errors[1]).toMatch(/unknown receiver "on-call": did you mean "oncall"\?/);
    await h.service.scrapeAll();
    await h.service.evaluateOnce(T0);
    expect(h.batches[0]!.samples).toHaveLength(1);
    expect(h.escalator.policies).toHaveLength(1);
  });

  it('applies a good config on reload: new targets are scraped, the escalator gets the new policy', async () => {
    const a = await target('partner_errors{partner="acme"} 1\n');
    const b = await target('partner_errors{partner="globex"} 2\n');
    const f = await files(serviceYaml([{ name: 'a', url: a.url }]));
    const h = await startService(f);
    await writeFile(f.config, serviceYaml([{ name: 'a', url: a.url }, { name: 'b', url: b.url }]));
    expect((await fetch(`${h.base}/-/reload`, { method: 'POST', headers: bearer(h.service) })).status).toBe(200);
    await h.service.scrapeAll();
    await h.service.evaluateOnce(T0);
    expect(h.batches[0]!.samples.map((s) => s.target).sort()).toEqual(['a', 'b']);
    expect(h.escalator.policies).toHaveLength(2);
    expect(h.logs.some((l) => l.includes('info reload_applied targets=2'))).toBe(true);
  });

  it('serves its own metrics: scrapes, evaluations, alerts by state and notifications by receiver', async () => {
    const t = await target('partner_errors{partner="acme"} 9\n');
    const h = await startService(await files(serviceYaml([{ name: 'app', url: t.url }])));
    await h.service.scrapeAll();
    await h.service.evaluateOnce(T0);
    const text = await metricsOf(h.base);
    for (const line of [
      'sentinel_scrapes_total{target="app"} 1',
      'sentinel_rule_evaluations_total 1',
      'sentinel_rule_evaluation_duration_seconds_count 1',
      'sentinel_alerts{state="firing",severity="critical"} 1',
      'sentinel_alerts{state="pending",severity="critical"} 0',
      'sentinel_notifications_sent_total{receiver="oncall"} 3',
      'sentinel_notifications_failed_total{receiver="oncall"} 1',
      'sentinel_notifications_pending{receiver="oncall"} 2',
      '# TYPE sentinel_scrape_duration_seconds histogram',
    ]) {
      expect(text).toContain(line);
    }
    expect((await fetch(`${h.base}/healthz`)).status).toBe(200);
  });

  it('acknowledges an alert by id and answers 404 with a hint for an unknown one', async () => {
    const h = await startService(await files(serviceYaml([{ name: 'app', url: 'http://127.0.0.1:9/metrics' }])));
    const id = encodeURIComponent('fake_threshold{partner="acme"}');
    const ok = await fetch(`${h.base}/api/alerts/${id}/ack`, { method: 'POST', headers: bearer(h.service), body: JSON.stringify({ by: 'dana' }) });
    expect(ok.status).toBe(200);
    expect(h.escalator.acks).toEqual([{ id: 'fake_threshold{partner="acme"}', by: 'dana' }]);
    const missing = await fetch(`${h.base}/api/alerts/nope/ack`, { method: 'POST', headers: bearer(h.service) });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'no alert or alert group "nope"', fix: expect.stringContaining('GET /api/alerts') });
  });

  it('creates, lists and expires silences, and answers a bad silence with 400 naming each field and its fix', async () => {
    const h = await startService(await files(serviceYaml([{ name: 'app', url: 'http://127.0.0.1:9/metrics' }])));
    const post = (body: unknown) => fetch(`${h.base}/api/silences`, { method: 'POST', headers: bearer(h.service), body: JSON.stringify(body) });
    const bad = await post({ matchers: ['partner=acme"'], end: '2099-01-01T00:00:00Z', createdBy: '' });
    expect(bad.status).toBe(400);
    const { problems } = (await bad.json()) as { problems: Array<{ field: string; message: string; fix?: string }> };
    expect(problems).toEqual(
      expect.arrayContaining([
        { field: 'end', message: 'unknown field "end"', fix: 'did you mean "endsAt"?' },
        expect.objectContaining({ field: 'createdBy', fix: 'set createdBy to your name' }),
        expect.objectContaining({ field: 'comment', message: 'missing comment' }),
      ]),
    );
    const badMatcher = await post({ matchers: ['partner~"acme"'], endsAt: '2099-01-01T00:00:00Z', createdBy: 'dana', comment: 'maintenance' });
    expect(badMatcher.status).toBe(400);
    expect(((await badMatcher.json()) as { problems: Array<{ field: string }> }).problems[0]!.field).toBe('matchers[0]');
    const past = await post({ matchers: ['partner="acme"'], endsAt: '2001-01-01T00:00:00Z', createdBy: 'dana', comment: 'maintenance' });
    expect(((await past.json()) as { problems: unknown[] }).problems).toEqual([{ field: 'endsAt', message: 'endsAt is in the past', fix: 'a silence must end in the future' }]);

    const created = await post({ matchers: [{ name: 'partner', value: 'acme' }], endsAt: '2099-01-01T00:00:00Z', createdBy: 'dana', comment: 'partner maintenance' });
    expect(created.status).toBe(201);
    const { silence } = (await created.json()) as { silence: { id: string; matchers: unknown[] } };
    expect(silence.matchers).toEqual([{ label: 'partner', op: '=', value: 'acme' }]);
    const listed = (await (await fetch(`${h.base}/api/silences`)).json()) as { silences: Array<{ id: string }> };
    expect(listed.silences.map((s) => s.id)).toEqual([silence.id]);
    expect((await fetch(`${h.base}/api/silences/${silence.id}`, { method: 'DELETE', headers: bearer(h.service) })).status).toBe(200);
    expect((await fetch(`${h.base}/api/silences/${silence.id}`, { method: 'DELETE', headers: bearer(h.service) })).status).toBe(404);
  });

  it('passes Slack interactivity requests to the escalator raw and answers with its verdict', async () => {
    const h = await startService(await files(serviceYaml([{ name: 'app', url: 'http://127.0.0.1:9/metrics' }])));
    const send = (signature: string) =>
      fetch(`${h.base}/slack/interactivity`, { method: 'POST', headers: { 'x-slack-signature': signature, 'content-type': 'application/x-www-form-urlencoded' }, body: 'payload=%7B%7D' });
    expect((await send('v0=good')).status).toBe(200);
    expect((await send('v0=forged')).status).toBe(401);
  });

  it('never shows a secret from the environment in a log line or an API answer', async () => {
    const t = await target('partner_errors{partner="acme"} 1\n');
    const url = `${t.url}?token=${SECRET}`;
    const f = await files(serviceYaml([{ name: 'app', url }]));
    const h = await startService(f);
    await h.service.scrapeAll();
    await h.service.evaluateOnce(T0);
    await fetch(`${h.base}/api/silences`, { method: 'POST', headers: bearer(h.service), body: JSON.stringify({ matchers: ['partner="acme"'], endsAt: '2099-01-01T00:00:00Z', createdBy: 'dana', comment: `pasted ${SECRET} by mistake` }) });
    await writeFile(f.config, serviceYaml([{ name: 'app', url, extra: `    interval: ${SECRET}\n` }]));
    const answers: string[] = [];
    answers.push(await (await fetch(`${h.base}/-/reload`, { method: 'POST', headers: bearer(h.service) })).text());
    for (const path of ['/api/targets', '/api/alerts', '/api/silences', '/metrics']) answers.push(await (await fetch(`${h.base}${path}`)).text());
    expect(answers.join('\n')).toContain('[redacted]');
    expect(h.logs.join('')).toContain('[redacted]');
    expect(answers.join('\n')).not.toContain(SECRET);
    expect(h.logs.join('')).not.toContain(SECRET);
  });
});

async function metricsOf(base: string): Promise<string> {
  return (await fetch(`${base}/metrics`)).text();
}
