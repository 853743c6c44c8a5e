// `sentinel run --config sentinel.yaml`: the detector as a service. Runs until SIGTERM or SIGINT;
// SIGHUP reloads the config and rules (a broken file is rejected and the last good set keeps running).
import { parseArgs } from 'node:util';
import { formatDiagnostic } from '../config/index.js';
import { acceleratedClock } from '../service/clock.js';
import { loadConfigAndRules, SentinelService } from '../service/service.js';
import { productionDeps, type RuleSet } from '../service/wiring.js';

export const summary = 'scrape targets, evaluate the rules, escalate to Slack and e-mail; serve /metrics and the API';

const USAGE = `usage: sentinel run --config sentinel.yaml [--check]

  --config FILE   the service config: targets, rules, data_dir, listen, escalation (see docs/service.md)
  --check         validate the config, its contacts file and the rules, then exit (0 = good)
  --clock-speed N run the service's clock N times faster than the wall clock (demos and tests only:
                  minutes of detection and escalation timers in seconds)

Secrets come from the environment variables the escalation section names
(by default SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SMTP_PASSWORD).
Signals: SIGHUP reloads the config and rules; SIGTERM / SIGINT stop after saving state.
`;

export async function run(argv: string[]): Promise<number> {
  let values: { config?: string; check?: boolean; help?: boolean; 'clock-speed'?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { config: { type: 'string', short: 'c' }, check: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, 'clock-speed': { type: 'string' } },
    }));
  } catch (error) {
    process.stderr.write(`sentinel run: ${(error as Error).message}\n${USAGE}`);
    return 1;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!values.config) {
    process.stderr.write(`sentinel run: --config is required\n${USAGE}`);
    return 1;
  }
  const speed = values['clock-speed'] === undefined ? 1 : Number(values['clock-speed']);
  if (!(speed >= 1)) {
    process.stderr.write(`sentinel run: --clock-speed must be a number of 1 or more, not ${JSON.stringify(values['clock-speed'])}\n`);
    return 1;
  }
  const deps = productionDeps(speed === 1 ? {} : { clock: acceleratedClock(speed) });
  if (values.check) return check(values.config, deps);

  let started: Awaited<ReturnType<typeof SentinelService.start<RuleSet>>>;
  try {
    started = await SentinelService.start(values.config, deps);
  } catch (error) {
    // Not a config mistake: the port is taken, data_dir is not writable, saved state is unreadable.
    process.stderr.write(`sentinel run: not started: ${(error as Error).message}\n`);
    return 1;
  }
  if (!started.ok) {
    for (const d of started.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    process.stderr.write(`sentinel run: not started: ${started.diagnostics.length} problem(s) above\n`);
    return 1;
  }
  const service = started.service;
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
  return 0;
}

async function check(configFile: string, deps: ReturnType<typeof productionDeps>): Promise<number> {
  const loaded = await loadConfigAndRules(configFile, deps.detector);
  if (!loaded.ok) {
    for (const d of loaded.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    return 1;
  }
  process.stdout.write(`${configFile}: ok (${loaded.config.targets.length} targets)\n`);
  return 0;
}
