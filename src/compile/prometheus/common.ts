// Pieces every kind's translation shares: recording-rule names, the warm-up guard, the final alert.
import { basename } from 'node:path';
import type { LabelMatcher } from '../../config/index.js';
import type { Rule } from '../../rules/index.js';
import { byClause, promDuration, selectorText } from '../promql.js';
import type { AlertingRule } from './types.js';

/** `sentinel:<rule>:<quantity>`: Prometheus' level:metric:operation naming, scoped to one rule. */
export function recordName(rule: Rule, quantity: string): string {
  return `sentinel:${rule.name}:${quantity}`;
}

/** The rule's selector, with extra matchers (e.g. `outcome!="success"`) and an optional name suffix. */
export function ruleSelector(rule: Rule, extra: readonly LabelMatcher[] = [], metric = rule.metric): string {
  return selectorText(metric, rule.matchers, extra);
}

export function sumBy(rule: Rule, inner: string, extraLabels: readonly string[] = []): string {
  return `sum${byClause([...rule.by, ...extraLabels])} (${inner})`;
}

/** `on (partner, ...)` for binary operations between per-entity vectors. */
export function on(labels: readonly string[]): string {
  return `on (${labels.join(', ')})`;
}

/**
 * Warm-up: the entity must have been seen `warm_up` ago (within its stale window), so a series that
 * appeared a minute ago cannot page before its baseline exists. Empty when the rule has no warm-up.
 */
export function warmUpGuard(rule: Rule, metric = rule.metric): string {
  if (rule.warmUpMs <= 0) return '';
  const seen = `present_over_time(${ruleSelector(rule, [], metric)}[${promDuration(rule.staleAfterMs)}] offset ${promDuration(rule.warmUpMs)})`;
  return ` and ${on(rule.by)} group${byClause(rule.by)} (${seen})`;
}

export function alertingRule(rule: Rule, condition: string): AlertingRule {
  const annotations: Record<string, string> = { summary: rule.summary };
  if (rule.runbook) annotations.runbook_url = rule.runbook;
  // File name only: the compiled output must not depend on where the pack was checked out.
  annotations.sentinel_source = `${basename(rule.source.file)}:${rule.source.line}`;
  return {
    alert: rule.name,
    expr: condition,
    ...(rule.forMs > 0 ? { for: promDuration(rule.forMs) } : {}),
    ...(rule.keepFiringForMs > 0 ? { keep_firing_for: promDuration(rule.keepFiringForMs) } : {}),
    // `rule` as well as alertname: the escalation policy matches and groups on `rule`, as the detector's alerts carry it.
    labels: { ...sortedRecord(rule.labels), rule: rule.name, severity: rule.severity },
    annotations,
  };
}

function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
