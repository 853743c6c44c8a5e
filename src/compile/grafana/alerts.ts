// The firing-alerts tables of both dashboards: which columns a person reads, and each rule's runbook
// (the `runbook_url` annotation of its compiled alert) as a link.
import type { Rule } from '../../rules/index.js';
import type { TableSpec } from './panels.js';
import type { Runbook } from './queries.js';

export function runbooks(rules: readonly Rule[]): Runbook[] {
  return rules.flatMap((r) => (r.runbook ? [{ alertname: r.name, url: r.runbook }] : []));
}

/** ALERTS is a constant 1 with `alertstate="firing"` here: neither column says anything. */
export const ALERTS_TABLE: Pick<TableSpec, 'hide' | 'rename' | 'linkColumn'> = {
  hide: ['Time', '__name__', 'alertstate', 'Value'],
  rename: { alertname: 'alert' },
  linkColumn: 'runbook_url',
};
