// `sentinel demo`: a simulated service whose partner calls, queries and queue go through the shim
// (/metrics and a live summary), and beside it a replay of a postmortem incident through the default
// rule pack and the escalation pipeline in recorded time, printing what the local Slack and SMTP sinks
// receive. Ends with the replay, or at --duration, or on Ctrl-C (--live keeps the service running).
import { DURATION_FIX, parseDuration } from '../config/duration.js';
import { INCIDENT_SCENARIOS, type IncidentScenario } from '../demo/incident-replay.js';
import type { Speed } from '../demo/pacer.js';
import { runDemo } from '../demo/run.js';
import { parseCommandArgs } from './args.js';

export const summary = 'a simulated instrumented service, and a postmortem incident replayed through the rules to local Slack and e-mail';

const USAGE = `usage: sentinel demo [--scenario error_code_shift] [--seed 1] [--speed auto] [--live] [--duration 2m]
                     [--port 9464] [--host 127.0.0.1] [--every 10s] [--rate 10]

  --scenario  the incident to replay: ${INCIDENT_SCENARIOS.join(', ')}, or none
              (default error_code_shift)
  --seed      which replay of it: timing, partner and noise are drawn from the seed (default 1)
  --speed     auto (the incident plays in about 20 s), max (no pacing), or N times real time
  --live      keep the simulated service running after the replay, until Ctrl-C
  --duration  stop everything after this long (e.g. 10s, 2m), replay or not
  --port      port of /metrics (default 9464; a free one if 9464 is busy; 0 for any)
  --host      interface of /metrics (default 127.0.0.1; the Slack and SMTP sinks stay on loopback)
  --every     print the service's summary this often (default 10s)
  --rate      rounds of simulated traffic per second (default 10)
`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs<{ scenario: string; seed: string; speed: string; live: boolean; port: string; host: string; duration?: string; every: string; rate: string; help?: boolean }>('demo', argv, {
    scenario: { type: 'string', default: 'error_code_shift' },
    seed: { type: 'string', default: '1' },
    speed: { type: 'string', default: 'auto' },
    live: { type: 'boolean', default: false },
    port: { type: 'string', default: '9464' },
    host: { type: 'string', default: '127.0.0.1' },
    duration: { type: 'string' },
    every: { type: 'string', default: '10s' },
    rate: { type: 'string', default: '10' },
    help: { type: 'boolean', short: 'h' },
  }, `\n${USAGE}`);
  if (!parsed.ok) return parsed.code;
  const values = parsed.values;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return fail(`--port "${values.port}" is not a port number (0-65535)`);
  const durationMs = values.duration === undefined ? undefined : parseDuration(values.duration);
  if (values.duration !== undefined && !durationMs) return fail(`--duration "${values.duration}" is not a duration: ${DURATION_FIX}`);
  const everyMs = parseDuration(values.every);
  if (!everyMs) return fail(`--every "${values.every}" is not a duration: ${DURATION_FIX}`);
  const rate = Number(values.rate);
  if (!(rate > 0 && rate <= 200)) return fail(`--rate "${values.rate}" must be a number of rounds per second between 0 and 200`);
  const scenario = values.scenario;
  if (scenario !== 'none' && !(INCIDENT_SCENARIOS as readonly string[]).includes(scenario)) {
    return fail(`--scenario "${scenario}" is not one of ${INCIDENT_SCENARIOS.join(', ')}, none`);
  }
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) return fail(`--seed "${values.seed}" must be a whole number (0 or more)`);
  const speed = parseSpeed(values.speed);
  if (speed === undefined) return fail(`--speed "${values.speed}" must be auto, max, or how many times real time (e.g. 600: ten recorded minutes a second)`);

  // Ctrl-C, SIGTERM, SIGPIPE and a closed stdout (`sentinel demo | head`: EPIPE) all stop the demo the
  // normal way, so its temp folder (a ~165 MB recording) is removed before the process ends.
  let stdoutClosed = false;
  let stop: () => void = () => undefined;
  const stopSignal = new Promise<void>((resolve) => {
    stop = () => {
      if (!stdoutClosed) process.stdout.write('\nstopping…\n');
      resolve();
    };
  });
  const onSignal = (): void => stop();
  const onStdoutError = (error: NodeJS.ErrnoException): void => {
    if (error.code !== 'EPIPE') throw error;
    stdoutClosed = true;
    stop();
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGPIPE', 'SIGHUP'];
  for (const s of signals) process.once(s, onSignal);
  process.stdout.on('error', onStdoutError);
  try {
    await runDemo({
      port, host: values.host, durationMs, live: values.live, summaryEveryMs: everyMs, ticksPerSecond: rate, stopSignal,
      ...(scenario !== 'none' ? { replay: { scenario: scenario as IncidentScenario, seed, speed } } : {}),
      out: (t) => {
        if (!stdoutClosed) process.stdout.write(t);
      },
    });
    return 0;
  } catch (error) {
    return fail((error as Error).message);
  } finally {
    for (const s of signals) process.removeListener(s, onSignal);
    process.stdout.removeListener('error', onStdoutError);
    // Writes still queued to a closed pipe fail later; they must not turn a clean stop into a crash.
    if (stdoutClosed) process.stdout.on('error', () => undefined);
  }
}

function parseSpeed(text: string): Speed | 'auto' | undefined {
  if (text === 'auto' || text === 'max') return text;
  const n = Number(text);
  return Number.isFinite(n) && n >= 1 ? n : undefined;
}

function fail(message: string): number {
  process.stderr.write(`sentinel demo: ${message}\n`);
  return 1;
}
