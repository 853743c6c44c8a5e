// `sentinel record --target URL --out file.om [--interval 15s] [--duration 2h] [--max-size 256MB]
// [--rules DIR]`: scrapes a live /metrics and appends timestamped OpenMetrics, the format `sentinel
// backtest --data` reads (docs/recording.md). Stops at --duration or on SIGINT/SIGTERM, after the
// scrape in hand is written, with `# EOF` at the end.
import { parseArgs } from 'node:util';
import { formatDiagnostic, parseDuration } from '../config/index.js';
import { Recorder } from '../ingest/record/index.js';

export const summary = 'scrape a live /metrics into a recording that backtest reads';

const USAGE = 'usage: sentinel record --target URL --out FILE.om [--interval 15s] [--duration 2h] [--max-size 256MB] [--rules DIR|FILE]\n'
  + '  --rules     keep only the series those rules read (smaller files)\n'
  + '  --max-size  rotate past this size: FILE-0001.om, FILE-0002.om, ... (oldest first), each ending with # EOF\n';

const SIZE = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB)?$/i;
const UNIT: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

export async function run(argv: string[]): Promise<number> {
  let values: { target?: string; out?: string; interval?: string; duration?: string; 'max-size'?: string; rules?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: {
      target: { type: 'string' }, out: { type: 'string' }, interval: { type: 'string' }, duration: { type: 'string' },
      'max-size': { type: 'string' }, rules: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    } }));
  } catch (error) {
    process.stderr.write(`sentinel record: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const fail = (message: string): number => (process.stderr.write(`sentinel record: ${message}\n${USAGE}`), 2);
  if (!values.target || !/^https?:\/\//.test(values.target)) return fail('--target URL is required, e.g. http://localhost:9464/metrics');
  if (!values.out) return fail('--out FILE is required');
  const intervalMs = parseDuration(values.interval ?? '15s');
  if (!intervalMs) return fail(`--interval ${values.interval}: not a duration; use e.g. 15s`);
  const durationMs = values.duration === undefined ? Infinity : parseDuration(values.duration);
  if (!durationMs) return fail(`--duration ${values.duration}: not a duration; use e.g. 2h`);
  const size = SIZE.exec(values['max-size'] ?? '256MB');
  if (!size) return fail(`--max-size ${values['max-size']}: not a size; use e.g. 256MB`);
  const maxBytes = Number(size[1]) * UNIT[(size[2] ?? 'b').toLowerCase()]!;
  let only: Set<string> | undefined;
  if (values.rules) {
    // Loaded only when asked: the rule kinds say which series they read.
    const [{ loadRules }, { ruleMetricNames }] = await Promise.all([import('../rules/index.js'), import('../detect/rule-selectors.js')]);
    const loaded = await loadRules(values.rules);
    if (!loaded.ok) {
      for (const d of loaded.diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
      return 1;
    }
    only = new Set(ruleMetricNames(loaded.rules));
  }

  const recorder = new Recorder({
    target: values.target, out: values.out, maxBytes, timeoutMs: Math.min(intervalMs, 10_000),
    ...(only ? { only } : {}),
    onProblem: (m) => process.stderr.write(`sentinel record: ${m}\n`),
  });
  try {
    await recorder.file.open();
  } catch (error) {
    process.stderr.write(`sentinel record: cannot write ${values.out}: ${(error as Error).message}\n`);
    return 1;
  }
  const started = Date.now();
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const onSignal = (): void => stop();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.stderr.write(`sentinel record: scraping ${values.target} every ${values.interval ?? '15s'} into ${values.out}\n`);
  try {
    let stopping = false;
    void stopped.then(() => (stopping = true));
    for (let next = started; !stopping && Date.now() - started < durationMs; ) {
      await recorder.scrapeOnce(Date.now());
      next += intervalMs;
      const wait = Math.max(0, Math.min(next, started + durationMs) - Date.now());
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([stopped, new Promise<void>((r) => (timer = setTimeout(r, wait)))]);
      clearTimeout(timer);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await recorder.close();
  }
  const { scrapes, failed, samples } = recorder.stats;
  process.stderr.write(`sentinel record: ${samples} samples from ${scrapes - failed} of ${scrapes} scrapes written to ${values.out}${recorder.file.rotated.length ? ` (and ${recorder.file.rotated.length} rotated part(s), oldest ${recorder.file.rotated[0]})` : ''}\n`);
  return 0;
}
