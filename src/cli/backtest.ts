// `sentinel backtest --rules DIR|FILE --data FILE|--prometheus URL [--json] [--report out.html] [--notify FILE]`:
// replays a recording (or a Prometheus' history: backtest-prometheus.ts) through the rules. --json: one
// line per alert transition on stdout and nothing else; otherwise a table of incidents. Malformed lines go to stderr with their line number.
import { parseArgs } from 'node:util';
import { IncidentLog, incidentTable, runBacktest } from '../backtest/index.js';
import { formatDiagnostic } from '../config/index.js';
import type { AlertEvent } from '../model/index.js';
import { loadRules } from '../rules/index.js';
import { writeReport } from '../backtest/report.js';
import { compareAlerts, PROMETHEUS_OPTIONS, PROMETHEUS_USAGE, progressBar, prometheusRun, reportUnread, type PrometheusFlags, type PrometheusRun } from './backtest-prometheus.js';

export const summary = 'replay a recording through the rules: alert transitions (--json) or a table of incidents';

const USAGE = 'usage: sentinel backtest --rules DIR|FILE --data FILE [--metric NAME] [--json] [--report out.html] [--notify sentinel.yaml]\n'
  + PROMETHEUS_USAGE
  + '  --metric NAME  CSV input only: the metric name of its one series (default: the file\'s base name)\n';

/** A recording with thousands of broken lines must not drown the terminal: the first ones, then a count. */
export const MALFORMED_SHOWN = 20;

interface Notifier {
  handle(events: readonly AlertEvent[], nowMs: number): Promise<void>;
  finish(nowMs: number): Promise<void>;
}

export async function run(argv: string[]): Promise<number> {
  let values: { rules?: string; data?: string; metric?: string; json?: boolean; report?: string; notify?: string; help?: boolean } & PrometheusFlags;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        rules: { type: 'string' },
        data: { type: 'string' },
        metric: { type: 'string' },
        json: { type: 'boolean' },
        report: { type: 'string' },
        notify: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        ...PROMETHEUS_OPTIONS,
      },
    }));
  } catch (error) {
    process.stderr.write(`sentinel backtest: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!values.data === !values.prometheus) {
    process.stderr.write(`sentinel backtest: give --data FILE or --prometheus URL (one of them)\n${USAGE}`);
    return 2;
  }
  const loaded = await loadRules(values.rules ?? 'rules');
  if (!loaded.ok) {
    for (const d of loaded.diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
    return 1;
  }
  let prom: PrometheusRun | undefined;
  if (values.prometheus) {
    const made = prometheusRun(values, loaded.rules);
    if (typeof made === 'string') {
      process.stderr.write(`sentinel backtest: ${made}\n${USAGE}`);
      return 2;
    }
    prom = made;
  }
  const input = prom?.source ?? values.data!;
  const bar = prom ? progressBar(prom.stats) : undefined;
  let notifier: Notifier | undefined;
  if (values.notify) {
    // Loaded only when asked for: escalation pulls in Slack and SMTP clients.
    const replayModule = '../escalate/replay.js';
    const { createReplayNotifier } = (await import(replayModule)) as { createReplayNotifier(file: string): Promise<Notifier> };
    try {
      notifier = await createReplayNotifier(values.notify);
    } catch (error) {
      process.stderr.write(`${(error as Error).message}\n`);
      return 1;
    }
  }

  const json = values.json === true;
  const log = new IncidentLog();
  const progress = process.stderr.isTTY === true && !prom;
  let pendingOut = '';
  const flush = (): void => {
    if (pendingOut !== '') process.stdout.write(pendingOut);
    pendingOut = '';
  };
  let result;
  let malformedShown = 0;
  try {
    result = await runBacktest(loaded.rules, input, {
      ...(values.metric !== undefined ? { metric: values.metric } : {}),
      onMalformed: (m) => {
        if (malformedShown++ < MALFORMED_SHOWN) process.stderr.write(`${m.message}\n`);
      },
      onProgress: progress
        ? (p) => process.stderr.write(`\r${new Date(p.atMs).toISOString()}  ${p.samples.toLocaleString('en')} samples`)
        : undefined,
      onBatch: async (events, batch) => {
        for (const e of events) {
          log.add(e);
          if (json) pendingOut += jsonLine(e);
        }
        if (pendingOut.length > 1 << 16) flush();
        if (notifier) await notifier.handle(events, batch.atMs);
        bar?.update();
      },
    });
  } catch (error) {
    bar?.stop();
    flush();
    const code = (error as NodeJS.ErrnoException).code;
    process.stderr.write(`sentinel backtest: ${code === 'ENOENT' ? `cannot read ${values.data}: no such file` : (error as Error).message}\n`);
    return 1;
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
    await writeReport(values.report, { rules: loaded.rules, rulesPath: values.rules ?? 'rules', dataFile: input, incidents, summary: result, ...(values.metric !== undefined ? { metric: values.metric } : {}) });
    if (!json) process.stdout.write(`report: ${values.report}\n`);
  }
  const rate = result.wallMs > 0 ? Math.round(result.samples / (result.wallMs / 1000)) : result.samples;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  process.stderr.write(`${plural(result.samples, 'sample')} in ${plural(result.batches, 'scrape')}, ${plural(result.malformed, 'malformed line')} skipped, ${plural(result.events, 'transition')}; ${rate.toLocaleString('en')} samples/s\n`);
  return unread ? 3 : 0;
}

/** Exactly the documented fields, in the documented order. */
function jsonLine(e: AlertEvent): string {
  return JSON.stringify({ rule: e.rule, state: e.state, severity: e.severity, labels: e.labels, at: e.at, value: e.value, summary: e.summary }) + '\n';
}
