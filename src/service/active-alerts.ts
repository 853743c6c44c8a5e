// The alerts the detector currently holds pending or firing, kept from its transition events so the
// API and /metrics can show them without reaching into the detector's opaque state.
import type { AlertChart } from '../escalate/chart-history.js';
import type { AlertEvent } from '../model/index.js';
import type { ServiceAlert } from './types.js';

export class ActiveAlerts {
  readonly #byId = new Map<string, ServiceAlert>();
  /** The chart points of each alert's last transition (memory only: the console draws them). */
  readonly #charts = new Map<string, AlertChart>();

  constructor(restored: readonly ServiceAlert[] = []) {
    // Saved before `alertname` existed: give it back its name.
    for (const alert of restored) this.#byId.set(alert.id, { ...alert, alertname: alert.alertname ?? alert.rule });
  }

  apply(events: readonly AlertEvent[]): void {
    for (const event of events) {
      if (event.state === 'resolved') {
        this.#byId.delete(event.id);
        this.#charts.delete(event.id);
        continue;
      }
      const extra = event as AlertEvent & { kind?: string; chart?: AlertChart };
      if (extra.chart) this.#charts.set(event.id, extra.chart);
      this.#byId.set(event.id, {
        id: event.id,
        rule: event.rule,
        alertname: event.rule,
        state: event.state,
        severity: event.severity,
        labels: event.labels,
        summary: event.summary,
        runbook: event.runbook,
        ...(extra.kind ? { kind: extra.kind } : {}),
        ...(event.explain ? { explain: event.explain } : {}),
        value: event.value,
        activeSince: new Date(event.activeSinceMs).toISOString(),
        lastTransition: event.at,
      });
    }
  }

  chart(id: string): AlertChart | undefined {
    return this.#charts.get(id);
  }

  list(): ServiceAlert[] {
    return [...this.#byId.values()].sort((a, b) => a.activeSince.localeCompare(b.activeSince) || a.id.localeCompare(b.id));
  }

  /** Counts for `sentinel_alerts{state, severity}`, zeros included so a cleared state reads 0. */
  countsByStateAndSeverity(): Array<readonly [{ state: string; severity: string }, number]> {
    const counts = new Map<string, number>();
    for (const state of ['pending', 'firing']) for (const severity of ['critical', 'warning']) counts.set(`${state}/${severity}`, 0);
    for (const alert of this.#byId.values()) {
      const key = `${alert.state}/${alert.severity}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts].map(([key, n]) => {
      const [state, severity] = key.split('/') as [string, string];
      return [{ state, severity }, n] as const;
    });
  }
}
