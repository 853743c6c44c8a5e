// `sentinel backtest --rules DIR|FILE --data FILE|--prometheus URL [--json] [--report out.html] [--notify FILE [--dry-run]]`:
// replays a recording (or a Prometheus' history: backtest-prometheus.ts) through the rules. --json: one
// line per alert transition on stdout and nothing else; otherwise a table of incidents. Malformed lines go to stderr with their line number. A rule
// whose selector matched no series is named on stderr; a recording with no samples at all exits 1.
import { IncidentLog, incidentTable, runBacktest } from '../backtest/index.js';
import { formatDiagnostic } from '../config/index.js';
import type { AlertEvent } from '../model/index.js';
import { loadRules } from '../rules/index.js';
import { SelectorCoverage } from '../rules/coverage.js';
import { withRuleText } from '../rules/rule-text.js';
import { ChartHistory } from '../escalate/chart-history.js';
import { writeReport } from '../backtest/report.js';
import { EXIT, parseCommandArgs, optionError } from './args.js';
import { prepareNotify, type PreparedNotify } from './backtest-notify.js';
import { outputFileProblem } from './output-paths.js';
import { whyNoSamples } from './recording-diagnosis.js';
import { compareAlerts, PROMETHEUS_OPTIONS, PROMETHEUS_USAGE, progressBar, prometheusRun, reportUnread, type PrometheusFlags, type PrometheusRun } from './backtest-prometheus.js';

export const summary = 'replay a recording through the rules: alert transitions (--json) or a table of incidents';

const USAGE = 'usage: sentinel backtest --rules DIR|FILE --data FILE [--metric NAME] [--json] [--report out.html] [--notify sentinel.yaml [--dry-run]]\n'
  + PROMETHEUS_USAGE
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
  const parsed = parseCommandArgs<{ rules?: string; data?: string; metric?: string; json?: boolean; report?: string; notify?: string; 'dry-run'?: boolean; help?: boolean } & PrometheusFlags>('backtest', argv, {
    rules: { type: 'string' },
    data: { type: 'string' },
    metric: { type: 'string' },
    json: { type: 'boolean' },
    report: { type: 'string' },
    notify: { type: 'string' },
    'dry-run': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    ...PROMETHEUS_OPTIONS,
  }, USAGE);
  if (!parsed.ok) return parsed.code;
  const values = parsed.values;
  if (values.help) {
    process.stdout.write(USAGE);
    return EXIT.ok;
  }
  if (!values.data === !values.prometheus) return optionError('backtest', 'give --data FILE or --prometheus URL (one of them)', USAGE);
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
  let prom: PrometheusRun | undefined;
  if (values.prometheus) {
    const made = prometheusRun(values, loaded.rules);
    if (typeof made === 'string') return optionError('backtest', made, USAGE);
    prom = made;
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
    return await replay(values, loaded.rules, notifier, prom);
  } finally {
    await prepared?.close();
  }
}

type Values = { rules?: string; data?: string; prometheus?: string; metric?: string; json?: boolean; report?: string; 'compare-alerts'?: boolean };

async function replay(values: Values, rules: Parameters<typeof runBacktest>[0], notifier: Notifier | undefined, prom: PrometheusRun | undefined): Promise<number> {
  const coverage = new SelectorCoverage(rules);
  const charts = new ChartHistory();
  const json = values.json === true;
  const log = new IncidentLog();
  const input = prom?.source ?? values.data!;
  // A Prometheus read draws its own bar (windows read); a file read prints the recorded time reached.
  const bar = prom ? progressBar(prom.stats) : undefined;
  const progress = process.stderr.isTTY === true && !prom;
  let pendingOut = '';
  const flush = (): void => {
    if (pendingOut !== '') process.stdout.write(pendingOut);
    pendingOut = '';
  };
  let result;
  let malformedShown = 0;
  try {
    result = await runBacktest(rules, input, {
      // Only the replayed messages' charts look back an hour; the report measures at each instant itself.
      measureHistory: notifier !== undefined,
      ...(values.metric !== undefined ? { metric: values.metric } : {}),
      onMalformed: (m) => {
        if (malformedShown++ < MALFORMED_SHOWN) process.stderr.write(`${m.message}\n`);
      },
      onProgress: progress
        ? (p) => process.stderr.write(`\r${new Date(p.atMs).toISOString()}  ${p.samples.toLocaleString('en')} samples`)
        : undefined,
      onBatch: async (events, batch, measure) => {
        coverage.observe(batch.samples);
        for (const e of events) {
          log.add(e);
          if (json) pendingOut += jsonLine(e);
        }
        if (pendingOut.length > 1 << 16) flush();
        if (notifier) await notifier.handle(charts.observe(withRuleText(rules, events), batch.atMs, measure), batch.atMs);
        bar?.update();
      },
    });
  } catch (error) {
    bar?.stop();
    flush();
    const code = (error as NodeJS.ErrnoException).code;
    process.stderr.write(`sentinel backtest: ${code === 'ENOENT' ? `cannot read ${values.data}: no such file` : (error as Error).message}\n`);
    return EXIT.problems;
  }
  flush();
  bar?.stop();
  if (progress) process.stderr.write('\r\x1b[K');
  const unread = prom ? reportUnread(prom.stats, (t) => process.stderr.write(t)) : false;
  if (malformedShown > MALFORMED_SHOWN) {
    const more = malformedShown - MALFORMED_SHOWN;
    process.stderr.write(`\u2026 and ${more} more malformed line${more === 1 ? '' : 's'}\n`);
  }
  if (notifier) await notifier.finish(Number.isFinite(result.lastMs) ? result.lastMs : 0);
  if (result.samples === 0) {
    process.stderr.write(`sentinel backtest: read 0 samples: ${prom ? `the Prometheus at ${values.prometheus} returned no samples of the rules' metrics between --from and --to` : await whyNoSamples(values.data!)}\n`);
    return EXIT.problems;
  }
  for (const { message } of coverage.unmatched()) process.stderr.write(`${message}\n`);
  const incidents = log.all();
  if (!json) process.stdout.write(incidentTable(incidents));
  if (prom && values['compare-alerts']) {
    try {
      // With --json, stdout carries transitions only: the comparison goes to stderr.
      await compareAlerts(prom, (t) => (json ? process.stderr : process.stdout).write(t));
    } catch (error) {
      process.stderr.write(`sentinel backtest --compare-alerts: ${(error as Error).message}\n`);
    }
  }
  if (values.report) {
    await writeReport(values.report, { rules, rulesPath: values.rules ?? 'rules', dataFile: input, incidents, summary: result, ...(values.metric !== undefined ? { metric: values.metric } : {}) });
    if (!json) process.stdout.write(`report: ${values.report}\n`);
  }
  const rate = result.wallMs > 0 ? Math.round(result.samples / (result.wallMs / 1000)) : result.samples;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  process.stderr.write(`${plural(result.samples, 'sample')} in ${plural(result.batches, 'scrape')}, ${plural(result.malformed, 'malformed line')} skipped, ${plural(result.events, 'transition')}; ${rate.toLocaleString('en')} samples/s\n`);
  // Windows of a Prometheus that could not be read are a problem found: the table has a gap.
  return unread ? EXIT.problems : EXIT.ok;
}

/** Exactly the documented fields, in the documented order; `explain` last, when the rule said why. */
function jsonLine(e: AlertEvent): string {
  return JSON.stringify({ rule: e.rule, state: e.state, severity: e.severity, labels: e.labels, at: e.at, value: e.value, summary: e.summary, ...(e.explain ? { explain: e.explain } : {}) }) + '\n';
}
