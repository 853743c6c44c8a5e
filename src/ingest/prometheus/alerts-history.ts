// What the current setup did: the intervals Prometheus itself recorded as firing in its `ALERTS`
// series over the backtest's window, read at the same step, for `--compare-alerts`.
import { prometheusApi } from './http-client.js';
import { queryWindows } from './read-prometheus.js';
import type { PrometheusHttpConfig } from './types.js';

export interface RecordedAlert {
  readonly alertname: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly fromMs: number;
  /** Last step it was seen firing. */
  readonly toMs: number;
}

const QUERY = 'ALERTS{alertstate="firing"}';

export async function readFiringAlerts(config: PrometheusHttpConfig & { fromMs: number; toMs: number; stepMs: number }): Promise<RecordedAlert[]> {
  const api = prometheusApi(config);
  const open = new Map<string, { alertname: string; labels: Record<string, string>; fromMs: number; toMs: number }>();
  const out: RecordedAlert[] = [];
  for (const w of queryWindows(config.fromMs, config.toMs, config.stepMs, 10_000)) {
    const what = `query_range ${QUERY} from ${new Date(w.fromMs).toISOString()} to ${new Date(w.toMs).toISOString()}`;
    const { data } = await api.post('/api/v1/query_range', { query: QUERY, start: String(w.fromMs / 1000), end: String(w.toMs / 1000), step: String(config.stepMs / 1000) }, what);
    for (const s of (data as { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> }).result) {
      const { __name__: _n, alertstate: _s, alertname = '', ...labels } = s.metric;
      const key = JSON.stringify(s.metric);
      for (const [t] of s.values) {
        const atMs = Math.round(t * 1000);
        const cur = open.get(key);
        // A missing step ends an interval: the alert stopped firing and may fire again later.
        if (cur && atMs - cur.toMs <= config.stepMs) cur.toMs = atMs;
        else {
          if (cur) out.push(cur);
          open.set(key, { alertname, labels, fromMs: atMs, toMs: atMs });
        }
      }
    }
  }
  out.push(...open.values());
  return out.sort((a, b) => a.fromMs - b.fromMs || a.alertname.localeCompare(b.alertname));
}

/** A plain-text table in the incident table's manner. */
export function recordedAlertsTable(alerts: readonly RecordedAlert[]): string {
  if (alerts.length === 0) return 'Prometheus recorded no firing alert (ALERTS) in this window\n';
  const rows = alerts.map((a) => [a.alertname, Object.entries(a.labels).map(([k, v]) => `${k}=${v}`).join(' '), iso(a.fromMs), iso(a.toMs)]);
  const header = ['ALERTNAME', 'LABELS', 'FIRING FROM', 'LAST SEEN FIRING'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]): string => cells.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
  return [line(header), ...rows.map(line), `${alerts.length} alert interval${alerts.length === 1 ? '' : 's'} recorded by Prometheus`].join('\n') + '\n';
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
