// --report out.html: a second streamed pass over the recording samples, for every alert that fired,
// the rule's value and learned band around its span (12 h before, 3 h after), then hands them to the
// report part. Two passes keep memory flat: only the fired alerts' neighbourhoods are kept.
import { writeFile } from 'node:fs/promises';
import { createDetector } from '../detect/index.js';
import { readRecording } from '../ingest/index.js';
import { renderReport, type ReportAlert, type ReportPoint } from '../report/index.js';
import type { Rule } from '../rules/types.js';
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
};

export async function writeReport(file: string, req: ReportRequest): Promise<void> {
  const fired = req.incidents.filter((i) => i.firingAtMs !== undefined).slice(0, MAX_ALERTS);
  const end = req.summary.lastMs;
  const windows = fired.map((i) => ({ incident: i, from: i.pendingAtMs - BEFORE_MS, to: (i.resolvedAtMs ?? end) + AFTER_MS, points: [] as ReportPoint[] }));
  if (windows.length > 0) {
    const detector = createDetector(req.rules);
    const batches = typeof req.dataFile === 'string' ? readRecording(req.dataFile, req.metric !== undefined ? { metric: req.metric } : {}) : req.dataFile.open();
    for await (const batch of batches) {
      detector.step(batch);
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
    ...(i.firingAtMs !== undefined ? { firingMs: i.firingAtMs } : {}),
    ...(i.resolvedAtMs !== undefined ? { toMs: i.resolvedAtMs } : {}),
    summary: i.summary,
    // The detector's peak (for a drop, the value furthest from normal as the rule measures it),
    // not the highest charted point.
    peak: i.peak,
    valueLabel: VALUE_LABELS[kindOf.get(i.rule) ?? 'threshold'],
    points,
  }));
  const dataName = typeof req.dataFile === 'string' ? req.dataFile : req.dataFile.name;
  const html = renderReport({
    title: `Backtest of ${dataName}`,
    alerts,
    meta: {
      data: dataName,
      rules: req.rulesPath,
      samples: req.summary.samples.toLocaleString('en'),
      alerts: `${fired.length} fired${req.incidents.filter((i) => i.firingAtMs !== undefined).length > MAX_ALERTS ? ` (first ${MAX_ALERTS} drawn)` : ''}`,
    },
  });
  await writeFile(file, html);
}
