// The detector's state saved incrementally: after each evaluation a frame of what changed is appended
// to data_dir/service-state.journal instead of the whole document being rewritten; a restart rebuilds
// the state from the whole document and its frames; a frame cut short or damaged (SIGKILL mid-write)
// costs only the evaluation it belonged to; and a state file written whole by an earlier version
// (test/fixtures/service-state/whole-file-state) loads as it is, its firing alert not paged again.
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SentinelService } from '../../src/service/service.js';
import { productionDeps, type RuleSet } from '../../src/service/wiring.js';
import { startFakeSlack, type FakeSlack } from '../escalate/support/slack-server.js';
import { ACME_RULE, MIN, T0, sentinelYaml } from '../fixtures/service-state/scenario.js';
import { listen, type TestServer } from './support/servers.js';
import { savedState } from './support/saved-state.js';

const FIXTURE = new URL('../fixtures/service-state/whole-file-state/', import.meta.url);
const PARTNERS = 100;
const OPERATIONS = ['GET /patients/{id}', 'POST /appointments', 'GET /slots', 'PUT /referrals/{id}', 'GET /coverage'];

let dir: string;
let slack: FakeSlack;
let target: TestServer;
let service: SentinelService<RuleSet> | undefined;
let logs: string[];
let now: number;
let errors: number;
let failing: boolean;
let scrapes = 0;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sentinel-journal-'));
  slack = await startFakeSlack();
  logs = [];
  failing = false;
  target = await listen((_req, res) => {
    if (failing) errors += 30;
    scrapes++;
    // acme fails or not; 100 other partners answer a steady trickle of 401s below the bound, on 5 operations.
    const lines = [`integration_requests_total{partner="acme",operation="GET /patients/{id}",outcome="auth_error",error_code="401"} ${errors}`];
    for (let p = 0; p < PARTNERS; p++) for (const op of OPERATIONS) lines.push(`integration_requests_total{partner="p${p}",operation="${op}",outcome="auth_error",error_code="401"} ${scrapes * (p % 2)}`);
    res.end(lines.join('\n') + '\n');
  });
  await writeFile(join(dir, 'rules.yaml'), ACME_RULE);
  await writeFile(join(dir, 'sentinel.yaml'), sentinelYaml(`${target.url}/metrics`, slack.url));
});

afterEach(async () => {
  await service?.stop();
  service = undefined;
  await target.close();
  await slack.close();
  await rm(dir, { recursive: true, force: true });
});

async function start(): Promise<SentinelService<RuleSet>> {
  const started = await SentinelService.start(join(dir, 'sentinel.yaml'), { ...productionDeps(), now: () => now, timers: false, env: { SLACK_BOT_TOKEN: 'xoxb-journal' }, writeLog: (line) => logs.push(line) });
  if (!started.ok) throw new Error(JSON.stringify(started.diagnostics));
  service = started.service;
  return service;
}

/** Stopped as by SIGKILL: no final write (the files stay as the last evaluation left them). */
async function crash(): Promise<void> {
  const s = service!;
  service = undefined;
  // stop() would write a last frame: copy data_dir first and put it back after, as a kill would leave it.
  const data = join(dir, 'data');
  const kept = join(dir, 'data-at-kill');
  await mkdir(kept);
  const names = (await readdir(data)).filter((n) => /^(service-state|escalation)\.j/.test(n));
  for (const name of names) await copyFile(join(data, name), join(kept, name));
  await s.stop();
  for (const name of names) await copyFile(join(kept, name), join(data, name));
  await rm(kept, { recursive: true });
}

async function minute(): Promise<void> {
  now += MIN;
  await service!.scrapeAll();
  await service!.evaluateOnce(now);
  await service!.tick(now);
}

const bytesWritten = async (): Promise<number> => Number(/^sentinel_state_bytes_written_total (\d+)/m.exec(await (await fetch(`http://127.0.0.1:${service!.address().port}/metrics`)).text())?.[1] ?? 0);
const frames = async (): Promise<string[]> => (await readFile(join(dir, 'data', 'service-state.journal'), 'utf8')).split('\n').slice(1).filter((_l, i) => i % 2 === 0 && _l !== '');

describe('the state journal', () => {
  beforeEach(() => {
    now = T0;
    errors = 0;
  });

  it('writes the whole state once, then a frame of what changed per evaluation, far smaller', async () => {
    await start();
    await minute();
    const whole = (await readFile(join(dir, 'data', 'service-state.json'), 'utf8')).length;
    expect(await bytesWritten()).toBe(whole);
    for (let i = 0; i < 4; i++) await minute();
    expect(await frames()).toHaveLength(4);
    const perFrame = ((await bytesWritten()) - whole) / 4;
    expect(perFrame).toBeGreaterThan(0);
    expect(perFrame).toBeLessThan(whole / 3);
    // A restart rebuilds exactly what the service held.
    const before = await savedState<{ detector: unknown; savedAtMs: number }>(join(dir, 'data'));
    expect(before.savedAtMs).toBe(now);
    await crash();
    await start();
    expect(logs.find((l) => l.includes('info state_restored'))).toContain('journal_frames=4');
    // Stopped at once, the restarted service writes what it restored, whole: the same state.
    await service!.stop();
    service = undefined;
    const after = JSON.parse(await readFile(join(dir, 'data', 'service-state.json'), 'utf8')) as typeof before;
    expect(after.detector).toEqual(before.detector);
    expect(after.savedAtMs).toBe(before.savedAtMs);
  });

  it('compacts: once the frames weigh as much as the whole state, it is written whole again and the journal starts over', async () => {
    await start();
    for (let i = 0; i < 12; i++) await minute();
    const whole = (await readFile(join(dir, 'data', 'service-state.json'), 'utf8')).length;
    const journal = (await readFile(join(dir, 'data', 'service-state.journal'), 'utf8')).length;
    expect(journal).toBeLessThan(whole * 1.5);
    expect(JSON.parse(await readFile(join(dir, 'data', 'service-state.json'), 'utf8')).savedAtMs).toBeGreaterThan(T0 + MIN);
    await crash();
    await start();
    expect((await savedState<{ savedAtMs: number }>(join(dir, 'data'))).savedAtMs).toBe(now);
  });

  it('drops a frame cut short or damaged, and resumes from the evaluation before it', async () => {
    await start();
    for (let i = 0; i < 3; i++) await minute(); // the whole state and two frames
    await crash();
    const wholePath = join(dir, 'data', 'service-state.json');
    const path = join(dir, 'data', 'service-state.journal');
    const [whole, journal] = [await readFile(wholePath), await readFile(path)];
    await truncate(path, journal.length - 7); // SIGKILL in the middle of the last frame
    await start();
    expect(logs.find((l) => l.includes('warn state_journal_cut'))).toMatch(/frames_applied=1 reason="the last frame is cut short"/);
    expect(logs.find((l) => l.includes('info state_restored'))).toContain(`saved_at=${new Date(now - MIN).toISOString()}`);
    await crash();

    // A flipped byte inside the first frame: its checksum fails, it and all after it are dropped.
    logs = [];
    const damaged = Buffer.from(journal);
    const firstFrameBody = damaged.indexOf(0x0a, damaged.indexOf(0x0a) + 1) + 1;
    damaged[firstFrameBody + 3] = damaged[firstFrameBody + 3]! ^ 0x01;
    await writeFile(wholePath, whole);
    await writeFile(path, damaged);
    await start();
    expect(logs.find((l) => l.includes('warn state_journal_cut'))).toMatch(/frames_applied=0 reason="the frame at byte \d+ fails its checksum"/);
    expect(logs.find((l) => l.includes('info state_restored'))).toContain(`saved_at=${new Date(now - 2 * MIN).toISOString()}`);
  });
});

describe('a state file written whole by an earlier version', () => {
  it('loads as it is: the firing alert stays firing and is not paged again, and the journal takes over', async () => {
    now = T0 + 6 * MIN;
    errors = Number((await readFile(new URL('errors.txt', FIXTURE), 'utf8')).trim());
    await mkdir(join(dir, 'data'));
    for (const name of ['service-state.json', 'escalation.json']) await copyFile(new URL(name, FIXTURE), join(dir, 'data', name));
    await start();
    expect(logs.find((l) => l.includes('info state_restored'))).toMatch(/alerts=1 journal_frames=0/);
    const { alerts } = (await (await fetch(`http://127.0.0.1:${service!.address().port}/api/alerts`)).json()) as { alerts: Array<{ id: string; state: string }> };
    expect(alerts).toEqual([expect.objectContaining({ id: 'partner_auth_failures{partner="acme"}', state: 'firing' })]);
    failing = true;
    for (let i = 0; i < 3; i++) await minute();
    expect(slack.topLevel()).toHaveLength(0);
    // Written in the new way from here on: the whole document (now carrying its journal's id), then frames.
    expect(JSON.parse(await readFile(join(dir, 'data', 'service-state.json'), 'utf8')).journal).toMatch(/^[0-9a-f]{16}$/);
    expect(await frames()).toHaveLength(2);
  });
});
