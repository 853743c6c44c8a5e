// `sentinel backtest --rules DIR|FILE --data FILE [--json] [--report out.html] [--notify FILE [--dry-run]]`:
// replays a recording through the rules. --json: one line per alert transition on stdout and nothing
// else; otherwise a table of incidents. Malformed lines go to stderr with their line number. A rule
// whose selector matched no series is named on stderr; a recording with no samples at all exits 1.
import { IncidentLog, incidentTable, runBacktest } from '../backtest/index.js';
import { formatDiagnostic } from '../config/index.js';
import type { AlertEvent } from '../model/index.js';
import { loadRules } from '../rules/index.js';
import { SelectorCoverage } from '../rules/coverage.js';
import { writeReport } from '../backtest/report.js';
import { EXIT, parseCommandArgs, optionError } from './args.js';
import { prepareNotify, type PreparedNotify } from './backtest-notify.js';
import { outputFileProblem } from './output-paths.js';
import { whyNoSamples } from './recording-diagnosis.js';

export const summary = 'replay a recording through the rules: alert transitions (--json) or a table of incidents';

const USAGE = 'usage: sentinel backtest --rules DIR|FILE --data FILE [--metric NAME] [--json] [--report out.html] [--notify sentinel.yaml [--dry-run]]\n'
  + '  --metric NAME  CSV input only: the metric name of its one series (default: the file\'s base name)\n'
  + '  --notify FILE  run the escalation policy in the recording\'s clock, sending to its real Slack and SMTP\n'
  + '  --dry-run      with --notify: send nothing; print each Slack message and e-mail instead\n';

/** A recording with thousands of broken lines must not drown the terminal: the first ones, then a count. */
export const MALFORMED_SHOWN = 20;

interface Notifier {
  handle(events: readonly AlertEvent[], nowMs: number): Promise<void>;
  finish(nowMs: number): Promise<void>;
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs<{ rules?: string; data?: string; metric?: string; json?: boolean; report?: string; notify?: string; 'dry-run'?: boolean; help?: boolean }>('backtest', argv, {
    rules: { type: 'string' },
    data: { type: 'string' },
    metric: { type: 'string' },
    json: { type: 'boolean' },
    report: { type: 'string' },
    notify: { type: 'string' },
    'dry-run': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  }, USAGE);
  if (!parsed.ok) return parsed.code;
  const values = parsed.values;
  if (values.help) {
    process.stdout.write(USAGE);
    return EXIT.ok;
  }
  if (!values.data) return optionError('backtest', '--data FILE is required', USAGE);
  if (values['dry-run'] && !values.notify) return optionError('backtest', '--dry-run goes with --notify FILE: it prints the messages the policy would send', USAGE);
  // Checked before the run: finding out after an hour of replay that the report has nowhere to go is too late.
  const reportProblem = values.report === undefined ? undefined : await outputFileProblem(values.report, '--report');
  if (reportProblem) {
    process.stderr.write(`sentinel backtest: ${reportProblem}\n`);
    return EXIT.problems;
  }
  const loaded = await loadRules(values.rules ?? 'rules');
  if (!loaded.ok) {
    for (const d of loaded.diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
    return EXIT.problems;
  }
  const json = values.json === true;
  let notifier: Notifier | undefined;
  let prepared: PreparedNotify | undefined;
  if (values.notify) {
    const plan = await prepareNotify(values.notify, { dryRun: values['dry-run'] === true, print: (line) => (json ? process.stderr : process.stdout).write(`${line}\n`) });
    if (!plan.ok) {
      process.stderr.write(`${plan.message}\n`);
      return EXIT.problems;
    }
    prepared = plan.prepared;
    // Loaded only when asked for: escalation pulls in Slack and SMTP clients.
    const replayModule = '../backtest/replay-notifier.js';
    const { createReplayNotifier } = (await import(replayModule)) as { createReplayNotifier(file: string, options: { env: Readonly<Record<string, string | undefined>> }): Promise<Notifier> };
    try {
      notifier = await createReplayNotifier(prepared.policyFile, { env: prepared.env });
    } catch (error) {
      await prepared.close();
      process.stderr.write(`${(error as Error).message}\n`);
      return EXIT.problems;
    }
  }
  try {
    return await replay(values as Values, loaded.rules, notifier);
  } finally {
    await prepared?.close();
  }
}

type Values = { rules?: string; data: string; metric?: string; json?: boolean; report?: string };

async function replay(values: Values, rules: Parameters<typeof runBacktest>[0], notifier: Notifier | undefined): Promise<number> {
  const coverage = new SelectorCoverage(rules);
  const json = values.json === true;
  const log = new IncidentLog();
  const progress = process.stderr.isTTY === true;
  let pendingOut = '';
  const flush = (): void => {
    if (pendingOut !== '') process.stdout.write(pendingOut);
    pendingOut = '';
  };
  let result;
  let malformedShown = 0;
  try {
    result = await runBacktest(rules, values.data, {
      ...(values.metric !== undefined ? { metric: values.metric } : {}),
      onMalformed: (m) => {
        if (malformedShown++ < MALFORMED_SHOWN) process.stderr.write(`${m.message}\n`);
      },
      onProgress: progress
        ? (p) => process.stderr.write(`\r${new Date(p.atMs).toISOString()}  ${p.samples.toLocaleString('en')} samples`)
        : undefined,
      onBatch: async (events, batch) => {
        coverage.observe(batch.samples);
        for (const e of events) {
          log.add(e);
          if (json) pendingOut += jsonLine(e);
        }
        if (pendingOut.length > 1 << 16) flush();
        if (notifier) await notifier.handle(events, batch.atMs);
      },
    });
  } catch (error) {
    flush();
    const code = (error as NodeJS.ErrnoException).code;
    process.stderr.write(`sentinel backtest: ${code === 'ENOENT' ? `cannot read ${values.data}: no such file` : (error as Error).message}\n`);
    return EXIT.problems;
  }
  flush();
  if (progress) process.stderr.write('\r\x1b[K');
  if (malformedShown > MALFORMED_SHOWN) {
    const more = malformedShown - MALFORMED_SHOWN;
    process.stderr.write(`\u2026 and ${more} more malformed line${more === 1 ? '' : 's'}\n`);
  }
  if (notifier) await notifier.finish(Number.isFinite(result.lastMs) ? result.lastMs : 0);
  if (result.samples === 0) {
    process.stderr.write(`sentinel backtest: read 0 samples: ${await whyNoSamples(values.data)}\n`);
    return EXIT.problems;
  }
  for (const { message } of coverage.unmatched()) process.stderr.write(`${message}\n`);
  const incidents = log.all();
  if (!json) process.stdout.write(incidentTable(incidents));
  if (values.report) {
    await writeReport(values.report, { rules, rulesPath: values.rules ?? 'rules', dataFile: values.data, incidents, summary: result, ...(values.metric !== undefined ? { metric: values.metric } : {}) });
    if (!json) process.stdout.write(`report: ${values.report}\n`);
  }
  const rate = result.wallMs > 0 ? Math.round(result.samples / (result.wallMs / 1000)) : result.samples;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  process.stderr.write(`${plural(result.samples, 'sample')} in ${plural(result.batches, 'scrape')}, ${plural(result.malformed, 'malformed line')} skipped, ${plural(result.events, 'transition')}; ${rate.toLocaleString('en')} samples/s\n`);
  return EXIT.ok;
}

/** Exactly the documented fields, in the documented order. */
function jsonLine(e: AlertEvent): string {
  return JSON.stringify({ rule: e.rule, state: e.state, severity: e.severity, labels: e.labels, at: e.at, value: e.value, summary: e.summary }) + '\n';
}
