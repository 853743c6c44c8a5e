// The demo's live summary: calls by partner and outcome, read back from the service's own /metrics
// (so what it prints is exactly what Prometheus would scrape), plus queue backlog and query count.
import { METRIC } from '../model/index.js';
import { OUTCOMES } from '../shim/types.js';

export interface DemoSummary {
  calls: Map<string, Map<string, number>>; // partner → outcome → count
  queuePending: number;
  queries: number;
}

// Label values may hold braces (`GET /patients/{id}`), so the label block is read quote-aware.
const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{((?:[^"}]|"(?:[^"\\]|\\.)*")*)\} (\S+)$/;

export function parseSummary(metricsText: string): DemoSummary {
  const summary: DemoSummary = { calls: new Map(), queuePending: 0, queries: 0 };
  for (const line of metricsText.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries([...m[2]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((p) => [p[1]!, p[2]!]));
    const value = Number(m[3]);
    if (m[1] === METRIC.requests && labels.partner && labels.outcome) {
      const byOutcome = summary.calls.get(labels.partner) ?? new Map<string, number>();
      byOutcome.set(labels.outcome, (byOutcome.get(labels.outcome) ?? 0) + value);
      summary.calls.set(labels.partner, byOutcome);
    } else if (m[1] === METRIC.queuePending) summary.queuePending += value;
    else if (m[1] === `${METRIC.dbDuration}_count`) summary.queries += value;
  }
  return summary;
}

export function formatSummary(s: DemoSummary, elapsedMs: number): string {
  const head = ['partner', ...OUTCOMES, 'total'];
  const rows: string[][] = [];
  for (const [partner, byOutcome] of [...s.calls].sort(([a], [b]) => a.localeCompare(b))) {
    let total = 0;
    const cells = OUTCOMES.map((o) => {
      const n = byOutcome.get(o) ?? 0;
      total += n;
      return String(n);
    });
    rows.push([partner, ...cells, String(total)]);
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    `── calls by partner and outcome after ${(elapsedMs / 1000).toFixed(0)}s ──`,
    fmt(head),
    ...rows.map(fmt),
    `queries: ${s.queries}   queue pending: ${s.queuePending}`,
    '',
  ].join('\n');
}
