// The series a rule pack reads, as PromQL selectors: asked of the rule kinds themselves (their routes:
// a latency rule reads `x_sum` and `x_count`, a queue rule its two gauges), so a backtest fetches only
// what the detector would look at, never a whole Prometheus. It lives beside the kinds it asks, so the
// readers in ingest/ need not know the detector.
import { formatSelector } from '../config/index.js';
import { kindOf } from './kinds/index.js';
import type { Rule } from '../rules/types.js';

/** Distinct selectors, sorted. A name read with no matchers by any rule is fetched whole, once. */
export function ruleSelectors(rules: readonly Rule[]): string[] {
  const byName = new Map<string, Set<string> | 'all'>();
  for (const rule of rules) {
    for (const route of kindOf(rule.kind).routes(rule)) {
      // A name pattern (`{__name__=~"queue_.+"}`, the anomaly kind) is fetched as written.
      if (route.nameMatchers) {
        const pattern = formatSelector({ metric: '', matchers: [...route.nameMatchers, ...route.matchers] });
        byName.set(pattern, new Set([pattern]));
        continue;
      }
      const seen = byName.get(route.name);
      if (seen === 'all') continue;
      if (route.matchers.length === 0) {
        byName.set(route.name, 'all');
        continue;
      }
      const set = seen ?? new Set<string>();
      set.add(formatSelector({ metric: route.name, matchers: route.matchers }));
      byName.set(route.name, set);
    }
  }
  const out: string[] = [];
  for (const [name, sel] of byName) out.push(...(sel === 'all' ? [name] : sel));
  return out.sort();
}

/** The metric names alone (for messages and `record`). */
export function ruleMetricNames(rules: readonly Rule[]): string[] {
  return [...new Set(ruleSelectors(rules).map((s) => s.replace(/\{.*$/, '')))].filter((n) => n !== '').sort();
}
