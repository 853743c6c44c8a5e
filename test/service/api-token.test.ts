// Every write needs the API token, whether or not the user chose one: the real service generates it at
// first start into data_dir/api-token (0600), says where in the log (never what), and keeps it across
// restarts. The console signs in with it once and then writes through an HttpOnly, SameSite=Strict
// session cookie that counts only from the service's own origin.
import { chmod, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SentinelService } from '../../src/service/service.js';
import { productionDeps, type RuleSet } from '../../src/service/wiring.js';
import { authFailuresRules } from './support/auth-failures-rule.js';
import { serviceYaml, writeConfig, type ConfigFiles } from './support/configs.js';

const T0 = Date.parse('2026-11-23T02:00:00Z');
let files: ConfigFiles;
let service: SentinelService<RuleSet> | undefined;
let logs: string[];
let base: string;

async function start(env: Record<string, string> = {}): Promise<SentinelService<RuleSet>> {
  const started = await SentinelService.start(files.config, { ...productionDeps(), now: () => T0, timers: false, env: { TEST_SLACK_TOKEN: 'xoxb-token-test', ...env }, writeLog: (line) => logs.push(line) });
  if (!started.ok) throw new Error(JSON.stringify(started.diagnostics));
  service = started.service;
  base = `http://127.0.0.1:${service.address().port}`;
  return service;
}

const silenceBody = JSON.stringify({ matchers: ['partner="acme"'], endsAt: '2099-01-01T00:00:00Z', createdBy: 'dana', comment: 'maintenance' });

beforeEach(async () => {
  files = await writeConfig(serviceYaml([{ name: 'app', url: 'http://127.0.0.1:9/metrics' }]), authFailuresRules());
  logs = [];
});

afterEach(async () => {
  await service?.stop();
  service = undefined;
  await rm(files.dir, { recursive: true, force: true });
});

describe('the API token', () => {
  it('is generated at first start into data_dir/api-token with mode 0600, logged by file and never by value', async () => {
    await start();
    const file = join(files.dataDir, 'api-token');
    const token = (await readFile(file, 'utf8')).trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(logs.find((l) => l.includes('warn api_token_generated'))).toContain(`file=${file}`);
    expect(logs.join('\n')).not.toContain(token);
    expect((await fetch(`${base}/-/reload`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`${base}/api/v2/silences`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
    expect((await fetch(`${base}/api/silences`, { method: 'POST', headers: { authorization: 'Bearer not-it' }, body: silenceBody })).status).toBe(401);
    expect((await fetch(`${base}/api/silences`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: silenceBody })).status).toBe(201);
  });

  it('is kept across restarts, and a file whose mode was widened is narrowed again', async () => {
    const first = (await start()).apiToken();
    await service!.stop();
    service = undefined;
    await chmod(join(files.dataDir, 'api-token'), 0o644);
    expect((await start()).apiToken()).toBe(first);
    expect((await stat(join(files.dataDir, 'api-token'))).mode & 0o777).toBe(0o600);
    expect(logs.some((l) => l.includes('warn api_token_file_permissions_narrowed'))).toBe(true);
  });

  it('is SENTINEL_API_TOKEN when set, and then no file is written', async () => {
    await start({ SENTINEL_API_TOKEN: 'chosen-by-the-operator-7f3a' });
    await expect(stat(join(files.dataDir, 'api-token'))).rejects.toThrow();
    expect((await fetch(`${base}/api/silences`, { method: 'POST', headers: { authorization: 'Bearer chosen-by-the-operator-7f3a' }, body: silenceBody })).status).toBe(201);
  });

  it('stays a secret: a silence comment holding it is redacted', async () => {
    const token = (await start()).apiToken();
    const body = JSON.stringify({ matchers: ['partner="acme"'], endsAt: '2099-01-01T00:00:00Z', createdBy: 'dana', comment: `token is ${token.slice(0, 43)}` });
    expect((await fetch(`${base}/api/silences`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body })).status).toBe(201);
    expect(await (await fetch(`${base}/api/silences`)).text()).not.toContain(token);
  });
});

describe('the console\'s session', () => {
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const formHeaders = (extra: Record<string, string>) => ({ 'content-type': 'application/x-www-form-urlencoded', ...extra });

  async function signIn(token: string): Promise<string> {
    const answer = await fetch(`${base}/console/login`, { method: 'POST', redirect: 'manual', headers: formHeaders({ origin: base }), body: form({ token }) });
    expect(answer.status).toBe(303);
    const cookie = answer.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^sentinel_session=\d+\.[\w-]+; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict$/);
    return cookie.split(';')[0]!;
  }

  it('is handed out only for the right token, and only to the console\'s own page', async () => {
    const token = (await start()).apiToken();
    expect((await fetch(`${base}/console/login`)).status).toBe(200);
    const wrong = await fetch(`${base}/console/login`, { method: 'POST', redirect: 'manual', headers: formHeaders({ origin: base }), body: form({ token: 'guess' }) });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const foreign = await fetch(`${base}/console/login`, { method: 'POST', redirect: 'manual', headers: formHeaders({ origin: 'http://evil.example' }), body: form({ token }) });
    expect(foreign.status).toBe(403);
    await signIn(token);
  });

  it('lets the console write from its own origin, and nowhere else', async () => {
    const token = (await start()).apiToken();
    const silence = form({ matchers: 'partner="acme"', duration: '1h', createdBy: 'dana', comment: 'maintenance' });
    // Without a session the form is sent to the login page, and nothing is created.
    const anonymous = await fetch(`${base}/console/silences`, { method: 'POST', redirect: 'manual', headers: formHeaders({ origin: base }), body: silence });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toMatch(/^\/console\/login/);
    const cookie = await signIn(token);
    const created = await fetch(`${base}/console/silences`, { method: 'POST', redirect: 'manual', headers: formHeaders({ origin: base, cookie }), body: silence });
    expect(created.status).toBe(303);
    expect(created.headers.get('location')).toMatch(/created/);
    // The same cookie from another site's page, without any browser marks, or forged, is refused.
    expect((await fetch(`${base}/console/silences`, { method: 'POST', redirect: 'manual', headers: formHeaders({ origin: 'http://evil.example', cookie }), body: silence })).status).toBe(403);
    expect((await fetch(`${base}/api/silences`, { method: 'POST', headers: { cookie }, body: silenceBody })).status).toBe(401);
    const forged = cookie.replace(/\.[\w-]+$/, '.AAAA');
    expect((await fetch(`${base}/api/silences`, { method: 'POST', headers: { cookie: forged, origin: base, 'content-type': 'application/json' }, body: silenceBody })).status).toBe(401);
    expect((await fetch(`${base}/api/silences`, { method: 'POST', headers: { cookie, origin: base, 'content-type': 'application/json' }, body: silenceBody })).status).toBe(201);
    expect(((await (await fetch(`${base}/api/silences`)).json()) as { silences: unknown[] }).silences).toHaveLength(2);
  });

  it('ends when the token changes', async () => {
    const cookie = await signIn((await start({ SENTINEL_API_TOKEN: 'first-token-aaaaaaaa' })).apiToken());
    await service!.stop();
    await start({ SENTINEL_API_TOKEN: 'second-token-bbbbbbb' });
    expect((await fetch(`${base}/api/silences`, { method: 'POST', headers: { cookie, origin: base, 'content-type': 'application/json' }, body: silenceBody })).status).toBe(401);
  });
});
