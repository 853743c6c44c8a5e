import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/config/index.js';
import { loadServiceConfig } from '../../src/service/config.js';
import { serviceYaml, writeConfig as writeTempConfig } from './support/configs.js';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
const writeConfig: typeof writeTempConfig = async (...args) => {
  const files = await writeTempConfig(...args);
  dirs.push(files.dir);
  return files;
};

describe('the service config (sentinel.yaml)', () => {
  it('loads the shipped example with defaults applied and paths made absolute', async () => {
    const file = fileURLToPath(new URL('../../examples/service/sentinel.yaml', import.meta.url));
    const loaded = await loadServiceConfig(file);
    if (!loaded.ok) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
    const config = loaded.value;
    expect(config.rulesPath).toBe(fileURLToPath(new URL('../../rules', import.meta.url)));
    expect(config.evaluationIntervalMs).toBe(60_000);
    expect(config.targets).toEqual([
      { name: 'checkin-service', url: 'http://127.0.0.1:9464/metrics', intervalMs: 30_000, timeoutMs: 10_000, labels: {} },
      { name: 'lab-results-worker', url: 'http://127.0.0.1:9474/metrics', intervalMs: 15_000, timeoutMs: 5_000, labels: { service: 'lab-results' } },
    ]);
    expect(config.policy.route.steps).toEqual([{ afterMs: 15 * 60_000, receiver: 'partner-email' }]);
    expect(Object.keys(config.policy.partners).length).toBeGreaterThan(0);
  });

  it('reports every mistake in one run with file:line:col and the fix', async () => {
    const yaml = serviceYaml(
      [
        { name: 'app', url: 'ftp://example.org/metrics', extra: '    intervall: 30s\n' },
        { name: 'app', url: 'http://127.0.0.1:1/metrics' },
      ],
      { extra: 'evaluation_interval: soon\n' },
    ).replace('evaluation_interval: 1h\n', '');
    const files = await writeConfig(yaml);
    const loaded = await loadServiceConfig(files.config);
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    const lines = loaded.diagnostics.map(formatDiagnostic);
    const at = (line: number) => `${files.config}:${line}:`;
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^${at(7)}\\d+: bad duration "soon": write a number and a unit`)),
      `${at(10)}10: url must be an http:// or https:// address: write it as http://host:port/metrics`,
      `${at(12)}5: unknown field "intervall": did you mean "interval"?`,
    ]);
  });

  it('rejects two targets with one name, pointing at the second', async () => {
    const files = await writeConfig(serviceYaml([{ name: 'app', url: 'http://127.0.0.1:1/metrics' }, { name: 'app', url: 'http://127.0.0.1:2/metrics' }]));
    const loaded = await loadServiceConfig(files.config);
    expect(!loaded.ok && loaded.diagnostics.map(formatDiagnostic)).toEqual([`${files.config}:12:11: two targets are named "app": give every target its own name`]);
  });

  it('caps a target timeout at its interval so scrapes of one target never pile up', async () => {
    const files = await writeConfig(serviceYaml([{ name: 'app', url: 'http://127.0.0.1:1/metrics', extra: '    interval: 100ms\n' }]));
    const loaded = await loadServiceConfig(files.config);
    expect(loaded.ok && loaded.value.targets[0]).toMatchObject({ intervalMs: 100, timeoutMs: 100 });
  });
});
