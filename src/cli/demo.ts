// `sentinel demo`: a simulated service whose partner calls, queries and queue go through the shim,
// with /metrics served and a live summary printed until Ctrl-C or --duration.
import { parseArgs } from 'node:util';
import { DURATION_FIX, parseDuration } from '../config/duration.js';
import { runDemo } from '../demo/run.js';

export const summary = 'run a simulated service instrumented by the shim: /metrics and a live summary';

const USAGE = `usage: sentinel demo [--port 9464] [--host 127.0.0.1] [--duration 10s] [--every 5s] [--rate 10]

  --port      port of /metrics (default 9464; a free one if 9464 is busy; 0 for any)
  --host      interface of /metrics (default 127.0.0.1)
  --duration  stop after this long (e.g. 10s, 2m); default: until Ctrl-C
  --every     print the summary this often (default 5s)
  --rate      rounds of simulated traffic per second (default 10)
`;

export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '9464' },
        host: { type: 'string', default: '127.0.0.1' },
        duration: { type: 'string' },
        every: { type: 'string', default: '5s' },
        rate: { type: 'string', default: '10' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`sentinel demo: ${(error as Error).message}\n\n${USAGE}`);
    return 1;
  }
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

  let onSigint: () => void = () => undefined;
  const stopSignal = new Promise<void>((resolve) => {
    onSigint = () => {
      process.stdout.write('\nstopping…\n');
      resolve();
    };
    process.once('SIGINT', onSigint);
  });
  try {
    await runDemo({ port, host: values.host, durationMs, summaryEveryMs: everyMs, ticksPerSecond: rate, stopSignal, out: (t) => process.stdout.write(t) });
    return 0;
  } catch (error) {
    return fail((error as Error).message);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

function fail(message: string): number {
  process.stderr.write(`sentinel demo: ${message}\n`);
  return 1;
}
