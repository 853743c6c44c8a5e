// `sentinel run` refusing what would go wrong quietly: a second service on one data_dir, a port in
// use, secrets the Acknowledge button needs, rules whose selector never matches a scraped series.
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/run.ts';
import { LOCK_FILE } from '../../src/service/data-dir-lock.ts';
import { SentinelService } from '../../src/service/service.ts';
import { productionDeps } from '../../src/service/wiring.ts';
import { ensureBuilt, startCli } from '../service/support/cli.ts';
import { serviceYaml, writeConfig } from '../service/support/configs.ts';
import { FakeEscalator } from '../service/support/fakes.ts';
import { metricsTarget } from '../service/support/servers.ts';
import { runCaptured, type CliOutput } from '../support/cli-output.ts';

const RULES = `rules:
  - name: partner_auth_failures
    kind: threshold
    select: integration_request_total{outcome="auth_error"}
    by: [partner]
    rate_window: 2m
    value: 0.1
    severity: critical
    summary: '{{ $labels.partner }} answers 401'
`;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  vi.restoreAllMocks();
});

async function cli(argv: string[], env: Record<string, string | undefined> = {}): Promise<CliOutput> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  try {
    return await runCaptured(run, argv);
  } finally {
    process.env = saved;
  }
}

const ESCALATION = `  global:
    slack_signing_secret_env: TEST_SIGNING_SECRET
  route:
    receiver: oncall
  receivers:
    - name: oncall
      slack_configs:
        - channel: "#oncall"
          api_url: http://127.0.0.1:9/api/
          token_env: TEST_SLACK_TOKEN
`;

describe('sentinel run', () => {
  it('--check lists the secrets the escalation needs, the signing secret for the Acknowledge button among them', async () => {
    const files = await writeConfig(serviceYaml([{ name: 'app', url: 'http://127.0.0.1:9/metrics' }], { escalation: ESCALATION }), RULES.replace('integration_request_total', 'integration_requests_total'));
    const missing = await cli(['--config', files.config, '--check'], { TEST_SLACK_TOKEN: 'xoxb-1', TEST_SIGNING_SECRET: undefined });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`${files.config}: these environment variables are not set:\n  TEST_SIGNING_SECRET: verifying the Acknowledge button's requests (/slack/interactivity)\n`);
    const ok = await cli(['--config', files.config, '--check'], { TEST_SLACK_TOKEN: 'xoxb-1', TEST_SIGNING_SECRET: 's' });
    expect(ok).toMatchObject({ code: 0, stdout: `${files.config}: ok (1 targets)\n` });
  });

  it('a second run on the same data_dir refuses, naming the holder; a stale lock is taken over', async () => {
    ensureBuilt();
    const files = await writeConfig(serviceYaml([{ name: 'app', url: 'http://127.0.0.1:9/metrics' }]), RULES);
    const first = startCli(['run', '--config', files.config], { TEST_SLACK_TOKEN: 'xoxb-1' });
    cleanups.push(async () => {
      first.child.kill('SIGTERM');
      await first.exited;
    });
    await first.waitForLine(/service_started/, 60_000);
    const second = await cli(['--config', files.config]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`^sentinel run: not started: data_dir is in use by another sentinel run \\(pid ${first.child.pid} on .*lock file ${join(files.dataDir, LOCK_FILE)}\\): stop that one first \\(kill ${first.child.pid}\\), or give this one its own data_dir\\n$`));
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    // A holder that died without releasing (SIGKILL): its pid is gone, so the lock is stale.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    await writeFile(join(files.dataDir, LOCK_FILE), JSON.stringify({ pid: dead, host: (await import('node:os')).hostname() }));
    const third = startCli(['run', '--config', files.config], { TEST_SLACK_TOKEN: 'xoxb-1' });
    cleanups.push(async () => {
      third.child.kill('SIGTERM');
      await third.exited;
    });
    await third.waitForLine(/service_started/, 60_000);
    expect(await third.waitForLine(/stale_lock_taken_over/)).toContain(`previous_pid=${dead}`);
  }, 120_000);

  it('a port in use is one line with the fix', async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
    cleanups.push(() => new Promise((resolve) => busy.close(resolve)));
    const port = (busy.address() as { port: number }).port;
    const files = await writeConfig(serviceYaml([{ name: 'app', url: 'http://127.0.0.1:9/metrics' }]).replace('port: 0', `port: ${port}`), RULES);
    const { code, stderr } = await cli(['--config', files.config], { TEST_SLACK_TOKEN: 'xoxb-1' });
    expect(code).toBe(1);
    // The log lines of the attempt come first; the verdict is the last line.
    expect(stderr.trimEnd().split('\n').at(-1) + '\n').toBe(`sentinel run: not started: 127.0.0.1:${port} is already in use (another sentinel run, or another program: see \`ss -ltnp 'sport = :${port}'\`): stop it, or set listen.port in the config to a free port (0 picks one)\n`);
  });

  it('an unknown option exits 2 with a did-you-mean', async () => {
    const { code, stderr } = await cli(['--confg', 'x.yaml']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^sentinel run: unknown option --confg: did you mean --config\?\n/);
  });

  it('logs a rule whose selector matched no scraped series once its warm-up has passed', async () => {
    const target = await metricsTarget('integration_requests_total{partner="acme",outcome="auth_error"} 3\n');
    cleanups.push(() => target.close());
    const files = await writeConfig(serviceYaml([{ name: 'app', url: target.url }]), RULES);
    const logs: string[] = [];
    let now = Date.UTC(2026, 0, 5, 9);
    const started = await SentinelService.start(files.config, productionDeps({
      timers: false, now: () => now, writeLog: (l) => logs.push(l), env: { TEST_SLACK_TOKEN: 'x' },
      createEscalator: async ({ policy, store }) => new FakeEscalator(store, policy),
    }));
    if (!started.ok) throw new Error(JSON.stringify(started.diagnostics));
    cleanups.push(() => started.service.stop());
    const warned = (): string[] => logs.filter((l) => l.includes('rule_matches_no_series'));
    for (let minute = 0; minute <= 6; minute++) {
      await started.service.scrapeAll();
      await started.service.evaluateOnce(now);
      if (minute < 5) expect(warned()).toEqual([]);
      now += 60_000;
    }
    expect(warned()).toHaveLength(1);
    expect(warned()[0]).toMatch(/ warn rule_matches_no_series rule=partner_auth_failures source=.*rules\.yaml:2 detail=/);
    expect(warned()[0]).toContain('no series matched integration_request_total{outcome=\\"auth_error\\"}: did you mean integration_requests_total?');
  });
});
