// Deterministic dashboard JSON: keys sorted at every level, panel ids numbered in reading order, two-space
// indent and a final newline, so regenerating `dashboards/` gives a byte-identical file.
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';

export function numberPanels(dashboard: Dashboard): Dashboard {
  let id = 0;
  const panels = (dashboard.panels ?? []).map((panel) => ({ ...panel, id: ++id }));
  return { ...dashboard, panels };
}

export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) + '\n';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const child = (value as Record<string, unknown>)[key];
      if (child !== undefined) out[key] = sortKeys(child);
    }
    return out;
  }
  return value;
}
