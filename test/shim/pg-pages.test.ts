// Must-show of issue 10: pg's query_timeout and a pool that cannot hand out a connection, through
// instrumentQuery against a real PostgreSQL, page `db_operation_timeouts` (the default rule pack's
// rules/database.yaml) through the real `sentinel run`, within 15 minutes of service time. The
// service runs with --clock-speed 200 (a minute is 300 ms), scraping this process's /metrics; the
// rule's own warm-up (an hour of calls before it judges an operation) is spent on healthy traffic.
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentQuery, startTelemetry, type Telemetry } from 'integration-sentinel/shim';
import { startFakeSlack, type FakeSlack } from '../escalate/support/slack-server.js';
import { ensureBuilt, eventually, REPO, startCli, type CliProcess } from '../service/support/cli.js';
import { POSTGRES_MISSING, postgresBin, startPostgres, type Postgres } from './support/postgres.js';

const SPEED = 200;
const available = postgresBin() !== undefined;
if (!available) console.warn(POSTGRES_MISSING);

let db: Postgres;
let telemetry: Telemetry;
let slack: FakeSlack;
let dir: string;
let cli: CliProcess | undefined;
const pools: pg.Pool[] = [];

beforeAll(async () => {
  if (!available) return;
  ensureBuilt();
  db = await startPostgres();
  telemetry = await startTelemetry({ serviceName: 'registration-api', port: 0 });
  slack = await startFakeSlack();
  dir = await mkdtemp(join(tmpdir(), 'sentinel-pg-pages-'));
  await copyFile(join(REPO, 'rules/database.yaml'), join(dir, 'rules.yaml'));
  await writeFile(join(dir, 'sentinel.yaml'), `listen:
  host: 127.0.0.1
  port: 0
data_dir: ./data
rules: ./rules.yaml
evaluation_interval: 1m
scrape_interval: 1m
scrape_timeout: 50s
targets:
  - name: registration-api
    url: ${telemetry.url}
escalation:
  global:
    slack_api_url: ${slack.url}
    slack_token_env: SLACK_BOT_TOKEN
    slack_signing_secret_env: SLACK_SIGNING_SECRET
  route:
    receiver: oncall
    group_by: [rule, db_operation_name]
    group_wait: 0s
    group_interval: 5m
    repeat_interval: 1h
  receivers:
    - name: oncall
      slack_configs:
        - channel: '#registration-oncall'
`);
}, 120_000);

afterAll(async () => {
  if (cli && cli.child.exitCode === null) cli.child.kill('SIGKILL');
  await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
  await telemetry?.shutdown();
  await slack?.close();
  db?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const pages = () => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts === undefined);

describe.skipIf(!available)('pg timeouts page through sentinel run', () => {
  it('pages db_operation_timeouts for query_timeout and for the pool timeout within 15 service minutes', async () => {
    const config = { host: db.host, port: db.port, user: db.user, database: db.database };
    // register_patient: the driver gives up after 100 ms; find_patient_associations: one connection,
    // 50 ms to get it.
    const registrations = new pg.Pool({ ...config, max: 2, query_timeout: 100 });
    const associations = new pg.Pool({ ...config, max: 1, connectionTimeoutMillis: 50 });
    pools.push(registrations, associations);
    let incident = false;
    const registerPatient = instrumentQuery('register_patient', () => registrations.query(incident ? 'select pg_sleep(0.3)' : 'select 1'), { system: 'postgresql' });
    const findAssociations = instrumentQuery('find_patient_associations', () => associations.query('select 1'), { system: 'postgresql' });

    let running = true;
    const traffic = (async () => {
      while (running) {
        await Promise.all([registerPatient().catch(() => undefined), findAssociations().catch(() => undefined)]);
        await new Promise((r) => setTimeout(r, 40));
      }
    })();

    cli = startCli(['run', '--clock-speed', String(SPEED), '--config', join(dir, 'sentinel.yaml')], { SLACK_BOT_TOKEN: 'xoxb-pg-pages', SLACK_SIGNING_SECRET: 'pg-pages-secret' });
    const base = `http://${/listen=(\S+)/.exec(await cli.waitForLine(/info service_started listen=/))![1]}`;
    // 65 service minutes of healthy traffic first: the rule's hour of warm-up, and a baseline.
    await new Promise((r) => setTimeout(r, (65 * 60_000) / SPEED));
    expect(pages()).toHaveLength(0);

    incident = true;
    const leak = await associations.connect(); // a connection checked out and never released
    const started = Date.now();
    try {
      await eventually(() => pages().length >= 2, 'a page for each timing-out query', (15 * 60_000) / SPEED + 5_000).catch((e: Error) => {
        throw new Error(`${e.message}\n${cli!.lines.slice(-40).join('\n')}`);
      });
      const serviceMinutes = ((Date.now() - started) * SPEED) / 60_000;
      expect(serviceMinutes).toBeLessThanOrEqual(15);
      const texts = pages().map((p) => JSON.stringify(p.args));
      expect(texts.some((t) => t.includes('register_patient'))).toBe(true);
      expect(texts.some((t) => t.includes('find_patient_associations'))).toBe(true);
      expect(texts.every((t) => t.includes('[FIRING] Timeouts in db operation'))).toBe(true);
      const alerts = (await (await fetch(`${base}/api/alerts`)).json()) as { alerts: Array<{ id: string; state: string }> };
      const firing = alerts.alerts.filter((a) => a.state === 'firing').map((a) => a.id);
      expect(firing).toEqual(expect.arrayContaining([expect.stringContaining('db_operation_timeouts'), expect.stringContaining('db_operation_timeouts')]));
      expect(firing.filter((id) => id.includes('db_operation_timeouts'))).toHaveLength(2);
    } finally {
      running = false;
      leak.release();
      await traffic;
      cli.child.kill('SIGTERM');
      await cli.exited;
    }
  }, 90_000);
});
