// What one notification says, decided once and rendered by each receiver type (Slack blocks, e-mail
// text and HTML). Built only from allow-listed labels and numbers: see redact.ts.
import type { AlertRecord, GroupState, NotificationLogEntry } from './state.js';
import { alertContent, type AlertContent } from './message-content.js';
import { safeLabels, scrubValue } from './redact.js';
import type { EscalationPolicy } from '../policy/types.js';

export interface AlertLine {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly firingSinceMs: number;
  readonly resolvedAtMs?: number;
  /** The rule's summary, runbook and the explanation in words (message-content.ts). */
  readonly content: AlertContent;
}

export interface NotificationView {
  readonly groupId: string;
  readonly status: 'firing' | 'resolved';
  readonly severity: 'critical' | 'warning';
  /** What the group covers, e.g. "Elation Health: error code shift (403)",
   *  "Routing flows unhealthy in zones eu-west-2a, eu-west-2b". See groupTitle. */
  readonly title: string;
  readonly rule: string;
  readonly groupLabels: Readonly<Record<string, string>>;
  /** Set when the group is about one partner (its escalation note goes in the e-mail). */
  readonly partner?: { readonly key: string; readonly name: string; readonly escalationNote?: string };
  /** Every partner the group's alerts name (contacts-file names), sorted. */
  readonly partners: readonly string[];
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
  /** The runbook links of the group's alerts, distinct. */
  readonly runbooks: readonly string[];
  /** Set when silenced with Slack's button: shown instead of the buttons. */
  readonly silenced?: { readonly by: string; readonly untilMs: number; readonly comment?: string };
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
  const line = (a: AlertRecord): AlertLine => {
    const labels = safeLabels(a.labels, allow);
    const content = alertContent({ rule: a.labels.rule ?? '', kind: a.kind, labels, value: a.value, summaryTemplate: a.summaryTemplate, runbook: a.runbook, explain: a.explain });
    return { id: a.id, labels, value: a.value, firingSinceMs: a.firingSinceMs, resolvedAtMs: a.resolvedAtMs, content };
  };
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
  // The partner is named from the policy's contacts whether or not `partner` is allow-listed (a name
  // from the contacts file is no patient data); only a group about one partner has "the" partner.
  const partnerKeys = distinct([group.labels.partner, ...alerts.map((a) => a.labels.partner)].map((k) => (k === undefined ? undefined : scrubValue(k))));
  const partnerName = (key: string): string => policy.partners[key]?.name ?? key;
  const onlyPartner = group.labels.partner !== undefined ? scrubValue(group.labels.partner) : partnerKeys.length === 1 ? partnerKeys[0] : undefined;
  const partnerEntry = onlyPartner !== undefined ? policy.partners[onlyPartner] : undefined;
  const partner = onlyPartner !== undefined ? { key: onlyPartner, name: partnerName(onlyPartner), escalationNote: partnerEntry?.escalationNote } : undefined;
  // The title says what the group covers now: its firing alerts, or once all resolved, those resolved.
  const titled = firing.length > 0 ? firingAlerts : resolvedAlerts.length > 0 ? resolvedAlerts : alerts;
  const title = groupTitle(
    titled.map((a) => ({ ...safeLabels(a.labels, allow), ...(a.labels.partner !== undefined ? { partner: scrubValue(a.labels.partner) } : {}) })),
    partnerName,
    rule,
  );
  // "Since" is when the detector first saw it go wrong (pending), not when it crossed `for`.
  const sinceMs = Math.min(...alerts.map((a) => a.activeSinceMs), nowMs);
  return {
    groupId: group.id,
    status: firing.length > 0 ? 'firing' : 'resolved',
    severity: alerts.some((a) => a.severity === 'critical') ? 'critical' : 'warning',
    title,
    rule,
    groupLabels: safeLabels(group.labels, allow),
    partner,
    partners: byName(partnerKeys.map(partnerName)),
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
    runbooks: distinct(all.map((a) => a.content.runbook)),
    // The comment is free text a person typed: scrubbed like a label value before any message shows it.
    silenced: group.silenced ? { by: scrubValue(group.silenced.by), untilMs: group.silenced.untilMs, ...(group.silenced.comment ? { comment: scrubValue(group.silenced.comment).slice(0, 200) } : {}) } : undefined,
  };
}

// ---- Titles: what a group covers, said once ----------------------------------------------------

/** How many values a title lists before "and N more" (the body lists every series). */
const TITLE_VALUES = 3;

/** Entity labels a title names, and the words a rule's name uses for them: those words are dropped
 *  from the rule's phrase because the title names the entity itself ("routing_flows_unhealthy_zones"
 *  over zones a and b reads "Routing flows unhealthy in zones a, b", not "... zones: zone a"). */
const ENTITIES: readonly { label: string; one: string; many: string; words: readonly string[] }[] = [
  { label: 'zone', one: 'zone', many: 'zones', words: ['zones', 'zone'] },
  { label: 'db_operation_name', one: 'db operation', many: 'db operations', words: ['database operations', 'database operation', 'db operations', 'db operation'] },
  { label: 'queue', one: 'queue', many: 'queues', words: ['queues', 'queue'] },
  { label: 'operation', one: 'operation', many: 'operations', words: ['operations', 'operation'] },
];
const PARTNER_WORDS = ['partners', 'partner'];

/**
 * The title of a group from its alerts' (allow-listed, scrubbed) labels:
 * - about partners: "Elation Health: error code shift (403, was 401) in operations GET /a, POST /b",
 *   "Partners Acme EHR, Elation Health: error rate";
 * - otherwise: "Routing flows unhealthy in zones eu-west-2a, eu-west-2b", "Timeouts in db operation x";
 * several rules in one group are joined: "Elation Health: error code shift (403) and error rate",
 *   "Zone a: routing flows unhealthy and timeouts for partner Elation Health".
 */
export function groupTitle(alertLabels: readonly Readonly<Record<string, string>>[], partnerName: (key: string) => string, fallbackRule: string): string {
  // Partners lead the title when every alert is about one; a mixed group names them per rule instead.
  const partners = alertLabels.length > 0 && alertLabels.every((l) => l.partner !== undefined) ? distinct(alertLabels.map((l) => l.partner)) : [];
  const byRule = new Map<string, Readonly<Record<string, string>>[]>();
  for (const labels of alertLabels) {
    const rule = labels.rule ?? fallbackRule;
    byRule.set(rule, [...(byRule.get(rule) ?? []), labels]);
  }
  if (byRule.size === 0) byRule.set(fallbackRule, []);
  // Several rules about one zone (group_by: [zone]) lead with it once: "Zone a: routing flows
  // unhealthy and timeouts for partner Elation Health", not "... in zone a and ... in zone a".
  const shared = partners.length === 0 && byRule.size > 1
    ? ENTITIES.filter((e) => alertLabels.every((l) => l[e.label] !== undefined) && distinct(alertLabels.map((l) => l[e.label])).length === 1)
    : [];
  const omit = new Set(shared.map((e) => e.label));
  const clauses = [...byRule.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([rule, group]) => ruleClause(rule, group, { partnerLeads: partners.length > 0, omit, partnerName }));
  const more = clauses.length - 2;
  const what = more <= 0 ? clauses.join(' and ') : `${clauses.slice(0, 2).join('; ')} and ${more} more ${more === 1 ? 'rule' : 'rules'}`;
  if (shared.length > 0) {
    const lead = shared.map((e) => `${e.one} ${alertLabels[0]![e.label]}`).join(' and ');
    return `${lead.charAt(0).toUpperCase()}${lead.slice(1)}: ${what}`;
  }
  if (partners.length === 0) return what.charAt(0).toUpperCase() + what.slice(1);
  const names = byName(partners.map(partnerName));
  return `${names.length === 1 ? names[0] : `Partners ${listValues(names)}`}: ${what}`;
}

/** "error code shift (403)", "routing flows unhealthy in zones a, b", "success drop in operation X". */
function ruleClause(
  rule: string,
  alertLabels: readonly Readonly<Record<string, string>>[],
  opts: { readonly partnerLeads: boolean; readonly omit: ReadonlySet<string>; readonly partnerName: (key: string) => string },
): string {
  const present = ENTITIES.filter((e) => alertLabels.some((l) => l[e.label] !== undefined));
  // An operation of a db operation's series is the same thing said twice: name the db operation.
  const entities = present.some((e) => e.label === 'db_operation_name') ? present.filter((e) => e.label !== 'operation') : present;
  const aboutPartners = alertLabels.some((l) => l.partner !== undefined);
  const dropped = [...(aboutPartners ? PARTNER_WORDS : []), ...entities.flatMap((e) => e.words)];
  const phrase = withoutWords(rule.replace(/_/g, ' '), dropped);
  const codes = distinct(alertLabels.map((l) => l.error_code));
  const previous = distinct(alertLabels.map((l) => l.previous_error_code));
  let codeText = '';
  if (codes.length > 0) {
    // "error code shift (403)", not "error code shift (error code 403)".
    const noun = /\berror codes?\b/.test(phrase) ? '' : codes.length === 1 ? 'error code ' : 'error codes ';
    codeText = ` (${noun}${listValues(codes)}${previous.length > 0 ? `, was ${listValues(previous)}` : ''})`;
  }
  const where = entities.filter((e) => !opts.omit.has(e.label)).map((e) => {
    const values = distinct(alertLabels.map((l) => l[e.label]));
    return `${values.length === 1 ? e.one : e.many} ${listValues(values)}`;
  });
  const partners = opts.partnerLeads ? [] : byName(distinct(alertLabels.map((l) => l.partner)).map(opts.partnerName));
  const forPartners = partners.length > 0 ? ` for ${partners.length === 1 ? 'partner' : 'partners'} ${listValues(partners)}` : '';
  return `${phrase}${codeText}${where.length > 0 ? ` in ${where.join(' and ')}` : ''}${forPartners}`;
}

/** The phrase without `words` (whole words), or the phrase itself if nothing else would be left. */
function withoutWords(phrase: string, words: readonly string[]): string {
  let out = ` ${phrase} `;
  for (const w of words) out = out.split(` ${w} `).join(' ');
  const trimmed = out.replace(/\s+/g, ' ').trim();
  return trimmed === '' ? phrase : trimmed;
}

function byName(names: readonly string[]): string[] {
  return [...names].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }));
}

/** "a", "a, b", "a, b, c and 2 more". */
function listValues(values: readonly string[]): string {
  if (values.length <= TITLE_VALUES) return values.join(', ');
  return `${values.slice(0, TITLE_VALUES).join(', ')} and ${values.length - TITLE_VALUES} more`;
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
    .filter(([name]) => name !== 'rule' && name !== 'alertname' && name !== 'severity')
    .map(([name, value]) => `${name}=${value}`);
  return parts.join(', ');
}
