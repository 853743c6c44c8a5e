import type { AlertRecord, GroupState, NotificationLogEntry } from './state.js';
import { safeLabels, scrubValue } from './redact.js';
import type { EscalationPolicy } from './types.js';

// What one notification says, decided once and rendered by each receiver type (Slack blocks, e-mail
// text and HTML). Built only from allow-listed labels and numbers: see redact.ts.

export interface AlertLine {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly firingSinceMs: number;
  readonly resolvedAtMs?: number;
}

export interface NotificationView {
  readonly groupId: string;
  readonly status: 'firing' | 'resolved';
  readonly severity: 'critical' | 'warning';
  /** e.g. "error code shift: Elation Health". */
  readonly title: string;
  readonly rule: string;
  readonly groupLabels: Readonly<Record<string, string>>;
  readonly partner?: { readonly key: string; readonly name: string; readonly escalationNote?: string };
  readonly firing: readonly AlertLine[];
  readonly resolved: readonly AlertLine[];
  readonly operations: readonly string[];
  readonly errorCodes: readonly string[];
  readonly sinceMs: number;
  /** The notifying clock's now: recorded time in a backtest replay. */
  readonly atMs: number;
  readonly ack?: { readonly by: string; readonly atMs: number };
  /** What changed since this receiver was last told, one short clause each. */
  readonly changes: readonly string[];
  readonly dashboardLink?: string;
  /** Set when this receiver is an escalation step (not the route's first receiver). */
  readonly escalatedAfterMs?: number;
}

export function buildView(input: {
  policy: EscalationPolicy;
  group: GroupState;
  alerts: readonly AlertRecord[];
  previous: NotificationLogEntry | undefined;
  nowMs: number;
  escalatedAfterMs?: number;
}): NotificationView {
  const { policy, group, alerts, previous, nowMs } = input;
  const allow = policy.renderLabels;
  const line = (a: AlertRecord): AlertLine => ({ id: a.id, labels: safeLabels(a.labels, allow), value: a.value, firingSinceMs: a.firingSinceMs, resolvedAtMs: a.resolvedAtMs });
  const firingAlerts = alerts.filter((a) => a.resolvedAtMs === undefined);
  // A resolved alert is news only to a receiver that was told it was firing.
  const told = new Set([...(previous?.firing ?? [])]);
  const resolvedAlerts = alerts.filter((a) => a.resolvedAtMs !== undefined && told.has(a.id));
  const firing = firingAlerts.map(line);
  const resolved = resolvedAlerts.map(line);
  const all = [...firing, ...resolved];
  const first = all[0]?.labels ?? {};
  // A group may hold several rules (group_by: [partner] gathers a partner's whole incident).
  const rules = distinct(all.map((a) => a.labels.rule));
  const rule = rules.length > 0 ? rules.join(' + ') : (safeLabels(group.labels, allow).rule ?? 'alert');
  const partnerKey = group.labels.partner ?? alerts[0]?.labels.partner;
  const partnerEntry = partnerKey !== undefined ? policy.partners[partnerKey] : undefined;
  const partnerLabel = partnerKey !== undefined ? scrubValue(partnerKey) : undefined;
  const partner = partnerLabel !== undefined ? { key: partnerLabel, name: partnerEntry?.name ?? partnerLabel, escalationNote: partnerEntry?.escalationNote } : undefined;
  const subject = partner?.name ?? (first.zone ? `zone ${first.zone}` : first.queue ? `queue ${first.queue}` : first.db_operation_name ? `query ${first.db_operation_name}` : 'integration');
  // "Since" is when the detector first saw it go wrong (pending), not when it crossed `for`.
  const sinceMs = Math.min(...alerts.map((a) => a.activeSinceMs), nowMs);
  return {
    groupId: group.id,
    status: firing.length > 0 ? 'firing' : 'resolved',
    severity: alerts.some((a) => a.severity === 'critical') ? 'critical' : 'warning',
    title: `${rule.replace(/_/g, ' ')}: ${subject}`,
    rule,
    groupLabels: safeLabels(group.labels, allow),
    partner,
    firing,
    resolved,
    operations: distinct(all.map((a) => a.labels.operation ?? a.labels.db_operation_name)),
    errorCodes: distinct(all.map((a) => a.labels.error_code)),
    sinceMs,
    atMs: nowMs,
    ack: group.ack ? { by: scrubValue(group.ack.by), atMs: group.ack.atMs } : undefined,
    changes: describeChanges(previous, firingAlerts, resolvedAlerts, group, nowMs),
    dashboardLink: dashboardLink(policy.dashboardUrl, { ...first, ...safeLabels(group.labels, allow) }, sinceMs, nowMs),
    escalatedAfterMs: input.escalatedAfterMs,
  };
}

function describeChanges(previous: NotificationLogEntry | undefined, firing: readonly AlertRecord[], resolved: readonly AlertRecord[], group: GroupState, nowMs: number): string[] {
  if (!previous) return [`firing: ${plural(firing.length, 'series', 'series')}`];
  const changes: string[] = [];
  const before = new Set(previous.firing);
  const joined = firing.filter((a) => !before.has(a.id)).length;
  if (joined > 0) changes.push(`${plural(joined, 'series', 'series')} joined`);
  if (resolved.length > 0) changes.push(`${plural(resolved.length, 'series', 'series')} resolved`);
  if (group.ack && !previous.acked) changes.push(`acknowledged by ${scrubValue(group.ack.by)}`);
  if (firing.length === 0) changes.push('all resolved');
  if (changes.length === 0) changes.push(`still firing after ${formatSpan(nowMs - Math.min(...firing.map((a) => a.firingSinceMs)))}${group.ack ? '' : ', not acknowledged'}`);
  return changes;
}

function dashboardLink(base: string | undefined, labels: Readonly<Record<string, string>>, fromMs: number, toMs: number): string | undefined {
  if (!base) return undefined;
  const filled = base.replace(/\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g, (_, name: string) => encodeURIComponent(labels[name] ?? ''));
  const from = fromMs - 30 * 60_000;
  return `${filled}${filled.includes('?') ? '&' : '?'}from=${from}&to=${Math.max(toMs, fromMs + 60_000)}`;
}

function distinct(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined && v !== ''))].sort();
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `2026-11-20 02:14 UTC`: what a person reads in a message. */
export function formatAt(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `2h 5m`. */
export function formatSpan(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? `${h}h${m > 0 ? ` ${m}m` : ''}` : `${m}m`;
}

/** `error_code 403 (was 401)`, `operation GET /patients/{id}`: the labels worth a line. */
export function describeAlert(a: AlertLine): string {
  const parts = Object.entries(a.labels)
    .filter(([name]) => name !== 'rule' && name !== 'severity')
    .map(([name, value]) => `${name}=${value}`);
  return parts.join(', ');
}
