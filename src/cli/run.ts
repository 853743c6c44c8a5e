// `sentinel run --config sentinel.yaml`: the detector as a service. Runs until SIGTERM or SIGINT;
// SIGHUP reloads the config and rules (a broken file is rejected and the last good set keeps running).
import { formatDiagnostic } from '../config/index.js';
import { acceleratedClock } from '../service/clock.js';
import { loadServiceConfig } from '../service/config.js';
import { DataDirLocked, lockDataDir, type DataDirLock } from '../service/data-dir-lock.js';
import { formatMissingSecrets, missingSecrets } from '../service/required-secrets.js';
import { loadConfigAndRules, SentinelService } from '../service/service.js';
import { productionDeps, type RuleSet } from '../service/wiring.js';
import { EXIT, optionError, parseCommandArgs } from './args.js';

export const summary = 'scrape targets, evaluate the rules, escalate to Slack and e-mail; serve /metrics and the API';

const USAGE = `usage: sentinel run --config sentinel.yaml [--check]

  --config FILE   the service config: targets, rules, data_dir, listen, escalation (see docs/service.md)
  --check         validate the config, its contacts file, the rules and that every secret the
                  escalation needs is set, then exit (0 = good)
  --clock-speed N run the service's clock N times faster than the wall clock (demos and tests only:
                  minutes of detection and escalation timers in seconds)

Secrets come from the environment variables the escalation section names
(by default SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SMTP_PASSWORD).
Signals: SIGHUP reloads the config and rules; SIGTERM / SIGINT stop after saving state.
`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs<{ config?: string; check?: boolean; help?: boolean; 'clock-speed'?: string }>('run', argv, {
    config: { type: 'string', short: 'c' }, check: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, 'clock-speed': { type: 'string' },
  }, USAGE);
  if (!parsed.ok) return parsed.code;
  const values = parsed.values;
  if (values.help) {
    process.stdout.write(USAGE);
    return EXIT.ok;
  }
  if (!values.config) return optionError('run', '--config is required', USAGE);
  const speed = values['clock-speed'] === undefined ? 1 : Number(values['clock-speed']);
  if (!(speed >= 1)) return optionError('run', `--clock-speed must be a number of 1 or more, not ${JSON.stringify(values['clock-speed'])}`, '');
  const deps = productionDeps(speed === 1 ? {} : { clock: acceleratedClock(speed) });
  if (values.check) return check(values.config, deps);

  // The lock comes first: a second service on the same state must not even restore it.
  const config = await loadServiceConfig(values.config);
  let lock: DataDirLock | undefined;
  if (config.ok) {
    try {
      lock = await lockDataDir(config.value.dataDir);
    } catch (error) {
      if (!(error instanceof DataDirLocked)) throw error;
      process.stderr.write(`sentinel run: not started: ${error.message}: stop that one first (kill ${error.holder.pid}), or give this one its own data_dir\n`);
      return EXIT.problems;
    }
  }
  try {
    return await serve(values.config, deps, lock);
  } finally {
    await lock?.release();
  }
}

async function serve(configFile: string, deps: ReturnType<typeof productionDeps>, lock: DataDirLock | undefined): Promise<number> {
  let started: Awaited<ReturnType<typeof SentinelService.start<RuleSet>>>;
  try {
    started = await SentinelService.start(configFile, deps);
  } catch (error) {
    // Not a config mistake: the port is taken, data_dir is not writable, saved state is unreadable.
    process.stderr.write(`sentinel run: not started: ${startFailure(error as NodeJS.ErrnoException & { port?: number; address?: string })}\n`);
    return EXIT.problems;
  }
  if (!started.ok) {
    for (const d of started.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    process.stderr.write(`sentinel run: not started: ${started.diagnostics.length} problem(s) above\n`);
    return EXIT.problems;
  }
  const service = started.service;
  if (lock?.tookOverFrom !== undefined) service.log.warn('stale_lock_taken_over', { lock: lock.file, previous_pid: lock.tookOverFrom });
  for (const m of missingSecrets(service.config.policy, process.env, { interactive: true })) service.log.warn('secret_not_set', { env: m.env, needed_for: m.neededFor });
  const onHangup = (): void => {
    service.log.info('reload_requested', { by: 'SIGHUP' });
    // reload() reports bad input as diagnostics; anything else is logged, never an unhandled rejection.
    service.reload().catch((error: unknown) => service.log.error('reload_failed', { error: (error as Error).message }));
  };
  process.on('SIGHUP', onHangup);
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      service.log.info('stop_requested', { by: signal });
      resolve();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  process.off('SIGHUP', onHangup);
  await service.stop();
  return EXIT.ok;
}

function startFailure(error: NodeJS.ErrnoException & { port?: number; address?: string }): string {
  if (error.code === 'EADDRINUSE') {
    const at = `${error.address ?? ''}:${error.port ?? ''}`;
    return `${at} is already in use (another sentinel run, or another program: see \`ss -ltnp 'sport = :${error.port ?? ''}'\`): stop it, or set listen.port in the config to a free port (0 picks one)`;
  }
  if (error.code === 'EADDRNOTAVAIL') return `${error.address ?? 'listen.host'} is not an address of this machine: set listen.host to 127.0.0.1, 0.0.0.0 or one of its addresses`;
  if (error.code === 'EACCES' && error.syscall === 'listen') return `port ${error.port ?? ''} needs privileges: set listen.port to 1024 or above`;
  return error.message;
}

async function check(configFile: string, deps: ReturnType<typeof productionDeps>): Promise<number> {
  const loaded = await loadConfigAndRules(configFile, deps.detector);
  if (!loaded.ok) {
    for (const d of loaded.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    return EXIT.problems;
  }
  const missing = missingSecrets(loaded.config.policy, process.env, { interactive: true });
  if (missing.length > 0) {
    process.stderr.write(`${configFile}: these environment variables are not set:\n${formatMissingSecrets(missing)}`);
    return EXIT.problems;
  }
  process.stdout.write(`${configFile}: ok (${loaded.config.targets.length} targets)\n`);
  return EXIT.ok;
}
