// `sentinel compile` as a user runs it: writes, checks for drift (what CI runs), and refuses bad input
// with a message that says what to do.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/compile.ts';

let dir: string;
let stderr: string[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sentinel-compile-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => vi.restoreAllMocks());

function capture(): void {
  stderr = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
}

describe('sentinel compile', () => {
  it('passes --check when the checked-in dashboards/ is current (the CI drift check)', async () => {
    capture();
    expect(await run(['--target', 'grafana', '--rules', 'rules', '--out', 'dashboards', '--check'])).toBe(0);
  });

  it('fails --check and names the file when a dashboard was edited by hand', async () => {
    const out = join(dir, 'dashboards');
    capture();
    expect(await run(['--target', 'grafana', '--rules', 'rules', '--out', out])).toBe(0);
    const file = join(out, 'sentinel-overview.json');
    await writeFile(file, (await readFile(file, 'utf8')).replace('"Errors"', '"Errorz"'));
    capture();
    expect(await run(['--target', 'grafana', '--rules', 'rules', '--out', out, '--check'])).toBe(1);
    expect(stderr.join('')).toContain('sentinel-overview.json is not what compile writes');
    await writeFile(file, (await readFile(file, 'utf8')).replace('"Errorz"', '"Errors"'));
    await writeFile(join(out, 'old-partner-dashboard.json'), '{}');
    capture();
    expect(await run(['--target', 'grafana', '--rules', 'rules', '--out', out, '--check'])).toBe(1);
    expect(stderr.join('')).toContain('old-partner-dashboard.json is not written by compile any more');
  });

  it('writes the Prometheus rules and names every approximation on stderr', async () => {
    capture();
    expect(await run(['--target', 'prometheus', '--rules', 'rules', '--out', join(dir, 'prom')])).toBe(0);
    expect(stderr.join('')).toMatch(/partner_latency: approximate: .*inter-quartile/);
    expect(await readFile(join(dir, 'prom', 'NOTES.md'), 'utf8')).toContain('| partner_latency | approximate |');
  });

  it('refuses an unknown target and a missing --out with the usage', async () => {
    capture();
    expect(await run(['--target', 'grafna', '--rules', 'rules', '--out', dir])).toBe(1);
    expect(stderr.join('')).toContain('--target must be one of prometheus, alertmanager, grafana');
    capture();
    expect(await run(['--target', 'grafana', '--rules', 'rules'])).toBe(1);
    expect(stderr.join('')).toContain('--out DIR is required');
  });

  it('reports a broken rule file with file:line:col and the fix, and writes nothing', async () => {
    const rules = join(dir, 'broken');
    await rm(rules, { recursive: true, force: true });
    await mkdir(rules);
    await writeFile(join(rules, 'bad.yaml'), 'rules:\n  - name: x\n    kind: error-rate\n    select: integration_requests_total\n    severity: critical\n    summary: s\n');
    capture();
    expect(await run(['--target', 'prometheus', '--rules', rules, '--out', join(dir, 'never')])).toBe(1);
    expect(stderr.join('')).toMatch(/bad\.yaml:3:\d+: .*error_rate/);
    await expect(readFile(join(dir, 'never', 'NOTES.md'))).rejects.toThrow();
  });
});
