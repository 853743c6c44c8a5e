// An alert's identity (rule name and its labels, sorted) and the transition event drivers receive.

import type { Rule } from '../rules/types.js';
import { renderSummary } from '../rules/template.js';
import type { AlertEvent, AlertExplain } from '../model/index.js';
import type { ActiveAlert } from './lifecycle.js';

export function alertId(rule: string, labels: Readonly<Record<string, string>>): string {
  const inner = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(',');
  return `${rule}{${inner}}`;
}

export function transitionEvent(rule: Rule, id: string, alert: ActiveAlert, state: AlertEvent['state'], nowMs: number, explain?: AlertExplain, severity: AlertEvent['severity'] = rule.severity): AlertEvent {
  return {
    id,
    rule: rule.name,
    state,
    severity,
    labels: alert.labels,
    at: new Date(nowMs).toISOString(),
    atMs: nowMs,
    value: alert.value,
    summary: renderSummary(rule.summary, alert.labels, alert.value),
    ...(rule.runbook ? { runbook: rule.runbook } : {}),
    activeSinceMs: alert.activeSinceMs,
    peak: alert.peak,
    ...(explain ? { explain } : {}),
  };
}
