// --report out.html: a second streamed pass over the recording samples, for every alert (fired, or
// pending only), the rule's value and learned band around its span (12 h before, 3 h after), and which
// rules matched any series at all; then hands them to the report part. Two passes keep memory flat:
// only the alerts' neighbourhoods are kept.
import { writeFile } from 'node:fs/promises';
import { openDetector } from '../detect/index.js';
import { matchesLabels } from '../config/index.js';
import { readRecording } from '../ingest/index.js';
import type { Sample } from '../model/index.js';
import { renderReport, type ReportAlert, type ReportPoint, type ReportUnit } from '../report/index.js';
import type { Rule } from '../rules/types.js';
import { BacktestCadence } from './cadence.js';
import type { BacktestSummary, BatchSource, Incident } from './types.js';

const BEFORE_MS = 12 * 3_600_000;
const AFTER_MS = 3 * 3_600_000;
/** A report with hundreds of charts helps nobody: the first ones, by time, are drawn. */
const MAX_ALERTS = 60;

export interface ReportRequest {
  readonly rules: readonly Rule[];
  readonly rulesPath: string;
  readonly dataFile: string | BatchSource;
  readonly incidents: readonly Incident[];
  readonly summary: BacktestSummary;
  /** CSV input only: the metric name given to the run (the second pass must read the same series). */
  readonly metric?: string;
}

const VALUE_LABELS: Record<Rule['kind'], string> = {
  error_code_shift: 'share of calls with this code',
  error_rate: 'error ratio',
  success_drop: 'successes per window',
  latency: 'mean seconds',
  timeouts: 'share of calls timing out',
  routing_flows: 'unhealthy share of flows',
  queue_backlog: 'oldest pending event, seconds',
  threshold: 'value',
  anomaly: 'value',
  slo_burn: 'error budget burn rate (1 spends it over the period)',
};

const UNITS: Record<Rule['kind'], ReportUnit> = {
  error_code_shift: 'ratio',
  error_rate: 'ratio',
  success_drop: 'number',
  latency: 'seconds',
  timeouts: 'ratio',
  routing_flows: 'ratio',
  queue_backlog: 'seconds',
  threshold: 'number',
  anomaly: 'number',
  slo_burn: 'number',
};

/** A sample a rule's selector picks: its metric (or a histogram's / counter's series of it) and matchers. */
function selects(rule: Rule, sample: Sample): boolean {
  const metric = rule.metric;
  const named = sample.name === metric || (sample.name.startsWith(metric) && /^_(count|sum|bucket|total)$/.test(sample.name.slice(metric.length)));
  return named && matchesLabels(rule.matchers, sample.labels);
}

export async function writeReport(file: string, req: ReportRequest): Promise<void> {
  const firedAll = req.incidents.filter((i) => i.firingAtMs !== undefined);
  const pendingOnlyAll = req.incidents.filter((i) => i.firingAtMs === undefined);
  // The fired alerts first; pending-only ones fill what room is left.
  const drawn = [...firedAll, ...pendingOnlyAll].slice(0, MAX_ALERTS);
  const end = req.summary.lastMs;
  const windows = drawn.map((i) => ({ incident: i, from: i.pendingAtMs - BEFORE_MS, to: (i.resolvedAtMs ?? end) + AFTER_MS, points: [] as ReportPoint[] }));
  const unseen = new Set(req.rules);
  {
    // The same cadence as the run, so the bands drawn are the ones the alerts were judged by. It asks
    // measure() only about the instant just fed, never the past: no look-back history needed.
    const detector = openDetector(req.rules, undefined, { measureHistory: false });
    const cadence = new BacktestCadence(detector);
    const batches = typeof req.dataFile === 'string' ? readRecording(req.dataFile, req.metric !== undefined ? { metric: req.metric } : {}) : req.dataFile.open();
    for await (const batch of batches) {
      if (unseen.size > 0) for (const rule of unseen) if (batch.samples.some((sample) => selects(rule, sample))) unseen.delete(rule);
      if (windows.length === 0) {
        if (unseen.size === 0) break;
        continue;
      }
      cadence.feed(batch);
      for (const w of windows) {
        if (batch.atMs < w.from || batch.atMs > w.to) continue;
        const m = detector.measure(w.incident.rule, w.incident.labels, batch.atMs);
        w.points.push(m ? [batch.atMs, m.value, m.lower ?? null, m.upper ?? null] : [batch.atMs, null]);
      }
    }
  }
  const kindOf = new Map(req.rules.map((r) => [r.name, r.kind]));
  const alerts: ReportAlert[] = windows.map(({ incident: i, points }) => ({
    rule: i.rule,
    severity: i.severity,
    labels: i.labels,
    fromMs: i.pendingAtMs,
    ...(i.firingAtMs !== undefined ? { firingMs: i.firingAtMs } : { neverFired: true }),
    ...(i.resolvedAtMs !== undefined ? { toMs: i.resolvedAtMs } : {}),
    summary: i.summary,
    // The detector's peak (for a drop, the value furthest from normal as the rule measures it),
    // not the highest charted point.
    peak: i.peak,
    valueLabel: VALUE_LABELS[kindOf.get(i.rule) ?? 'threshold'],
    unit: UNITS[kindOf.get(i.rule) ?? 'threshold'],
    points,
    ...(i.explain ? { explain: i.explain } : {}),
  }));
  const dataName = typeof req.dataFile === 'string' ? req.dataFile : req.dataFile.name;
  const html = renderReport({
    title: `Backtest of ${dataName}`,
    alerts,
    coverage: { rules: req.rules.map((r) => r.name), withoutSeries: req.rules.filter((r) => unseen.has(r)).map((r) => r.name) },
    meta: {
      data: dataName,
      rules: req.rulesPath,
      samples: req.summary.samples.toLocaleString('en'),
      alerts: `${firedAll.length} fired, ${pendingOnlyAll.length} pending only${req.incidents.length > MAX_ALERTS ? ` (first ${MAX_ALERTS} drawn)` : ''}`,
    },
  });
  await writeFile(file, html);
}
