// Folds alert transitions into incidents (one row per alert from pending to resolved), for the
// backtest's table and report.
import type { AlertEvent } from '../model/index.js';
import type { Incident } from './types.js';

export class IncidentLog {
  private readonly open = new Map<string, Incident>();
  readonly closed: Incident[] = [];

  add(event: AlertEvent): void {
    const current = this.open.get(event.id);
    // The detector tracks the alert's worst value (for a drop, its lowest): its latest word is the peak.
    const peak = event.peak ?? Math.max(event.value, current?.peak ?? -Infinity);
    if (event.state === 'pending' || !current) {
      this.open.set(event.id, {
        id: event.id, rule: event.rule, severity: event.severity, labels: event.labels,
        pendingAtMs: event.activeSinceMs, peak, summary: event.summary,
        // An alert with `for: 0` fires without a pending event first: its reasons come with that firing.
        ...(event.state === 'firing' ? { firingAtMs: event.atMs, ...(event.explain ? { explain: event.explain } : {}) } : {}),
      });
      if (event.state !== 'resolved') return;
    }
    const incident = this.open.get(event.id)!;
    if (event.state === 'firing') {
      this.open.set(event.id, { ...incident, firingAtMs: event.atMs, peak, summary: event.summary, ...(event.explain ? { explain: event.explain } : {}) });
    } else {
      this.open.delete(event.id);
      this.closed.push({ ...incident, resolvedAtMs: event.atMs, peak });
    }
  }

  /** Every incident, closed and still open, in order of start. */
  all(): Incident[] {
    return [...this.closed, ...this.open.values()].sort((a, b) => a.pendingAtMs - b.pendingAtMs);
  }
}

/** A plain-text table of the incidents that fired (pending-only ones are counted below it). */
export function incidentTable(incidents: readonly Incident[]): string {
  const fired = incidents.filter((i) => i.firingAtMs !== undefined);
  const rows = fired.map((i) => [
    i.rule,
    i.severity,
    Object.entries(i.labels).map(([k, v]) => `${k}=${v}`).join(' '),
    iso(i.firingAtMs!),
    i.resolvedAtMs === undefined ? '(open)' : iso(i.resolvedAtMs),
    formatPeak(i.peak),
  ]);
  const header = ['RULE', 'SEVERITY', 'ENTITY', 'FIRED', 'RESOLVED', 'PEAK'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]): string => cells.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
  const pendingOnly = incidents.length - fired.length;
  const out = fired.length === 0 ? ['no alert fired'] : [line(header), ...rows.map(line)];
  out.push(`${fired.length} fired (${fired.filter((i) => i.severity === 'critical').length} critical)` + (pendingOnly > 0 ? `, ${pendingOnly} pending only (never fired)` : ''));
  return out.join('\n') + '\n';
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function formatPeak(v: number): string {
  return Math.abs(v) >= 100 ? String(Math.round(v)) : String(Math.round(v * 1000) / 1000);
}
