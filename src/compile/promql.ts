// Small PromQL builders shared by the Prometheus rules and the Grafana panels, so a dashboard's
// "learned normal" line is the very expression the compiled alert compares against.
import { formatDuration } from '../config/index.js';
import { escapeLabelValue, matcherText } from '../model/index.js';
import type { LabelMatcher } from '../model/index.js';

/** `metric{a="b",c!~"x"}` with extra matchers appended (deduplicated, rule's own first). */
export function selectorText(metric: string, matchers: readonly LabelMatcher[], extra: readonly LabelMatcher[] = []): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const m of [...matchers, ...extra]) {
    const text = matcherText(m);
    if (seen.has(text)) continue;
    seen.add(text);
    parts.push(text);
  }
  return parts.length === 0 ? metric : `${metric}{${parts.join(',')}}`;
}

/** A PromQL double-quoted string literal (Go escapes: backslash, quote, newline). */
export function promString(value: string): string {
  return `"${escapeLabelValue(value)}"`;
}

/** PromQL duration text; PromQL has no fractions, so sub-second parts are kept in ms. */
export function promDuration(ms: number): string {
  return formatDuration(Math.max(1, Math.round(ms)));
}

/** `by (a, b)` clause, or empty for a global aggregation. */
export function byClause(labels: readonly string[]): string {
  return labels.length === 0 ? '' : ` by (${labels.join(', ')})`;
}

/**
 * A seasonal (hour-of-week) normal: the median of the same expression one, two, ... `weeks` weeks ago.
 * Each week's copy carries a distinct `baseline_week` label so `quantile` sees them as separate
 * samples; a week with no data simply drops out (the median is over the weeks that exist).
 * `expr(offset)` must put `offset` right after its range selector(s), e.g. `rate(x[5m]${offset})`.
 */
export function seasonalMedian(expr: (offset: string) => string, by: readonly string[], weeks: number, weekMs = 604_800_000): string {
  const copies: string[] = [];
  for (let week = 1; week <= weeks; week++) {
    copies.push(`label_replace(${expr(` offset ${promDuration(week * weekMs)}`)}, "baseline_week", "${week}", "", "")`);
  }
  return `quantile${byClause(by)} (0.5, ${copies.join(' or ')})`;
}
