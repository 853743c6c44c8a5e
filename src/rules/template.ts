// Summary templates in the subset of Prometheus' template language that alerts use, so the same
// text works in our alerts and in the compiled Prometheus rules: `{{ $labels.partner }}`,
// `{{ $value }}`, `{{ $value | humanize }}`, `{{ $value | humanizePercentage }}`.

/** The functions a summary may pipe $value through; `sentinel check` rejects any other. */
export const TEMPLATE_FUNCTIONS = ['humanize', 'humanizePercentage', 'humanizeDuration'] as const;

const PLACEHOLDER = /\{\{\s*\$(labels\.([a-zA-Z_][a-zA-Z0-9_]*)|value)\s*(?:\|\s*(humanize|humanizePercentage|humanizeDuration)\s*)?\}\}/g;

export function renderSummary(template: string, labels: Readonly<Record<string, string>>, value: number): string {
  return template.replace(PLACEHOLDER, (_all, what: string, label: string | undefined, fn: string | undefined) => {
    if (label !== undefined) return labels[label] ?? '';
    return formatValue(value, fn);
  });
}

function formatValue(value: number, fn: string | undefined): string {
  if (!Number.isFinite(value)) return String(value);
  switch (fn) {
    case 'humanizePercentage': return `${round(value * 100)}%`;
    case 'humanizeDuration': return value >= 60 ? `${round(value / 60)}m` : `${round(value)}s`;
    default: return String(round(value));
  }
}

function round(v: number): number {
  return Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 100) / 100;
}
