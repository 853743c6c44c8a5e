// Alertmanager's dispatcher: every firing or resolved alert is routed, and joins the aggregation group
// of its route and group_by values, created on first sight with its own timers (group_wait before the
// first flush, group_interval after). Pending transitions are the detector's business, not a page.
import type { AlertEvent, Labels } from '../model/index.js';
import { matchRoutes } from '../policy/index.js';
import type { AlertChart } from './chart-history.js';
import { fromDetector } from './message-content.js';
import { shortHash, type AlertRecord, type EscalationState, type GroupState } from './state.js';
import type { EscalationPolicy, Route } from '../policy/types.js';

/** Labels escalation routes on: the alert's entity labels plus `rule`, its Alertmanager name `alertname`
 *  (the same value) and `severity`, so a route, inhibition or silence can say `rule="error_code_shift"`,
 *  `alertname="error_code_shift"` or `severity="critical"`. */
export function routingLabels(event: AlertEvent): Labels {
  return { ...event.labels, rule: event.rule, alertname: event.rule, severity: event.severity };
}

export function groupKey(path: string, route: Route, labels: Labels): { key: string; groupLabels: Record<string, string> } {
  const groupLabels: Record<string, string> = {};
  const names = route.groupBy.includes('...') ? Object.keys(labels).sort() : route.groupBy;
  for (const name of names) if (labels[name] !== undefined) groupLabels[name] = labels[name]!;
  return { key: `${path}|${JSON.stringify(groupLabels)}`, groupLabels };
}

/** Applies detector transitions to the groups (creating groups for new firing alerts). */
export function ingestEvents(state: EscalationState, policy: EscalationPolicy, events: readonly AlertEvent[], nowMs: number): void {
  for (const event of events) {
    if (event.state === 'pending') continue;
    const labels = routingLabels(event);
    for (const { route, path } of matchRoutes(policy.route, labels)) {
      const { key, groupLabels } = groupKey(path, route, labels);
      let group = Object.values(state.groups).find((g) => g.key === key);
      if (event.state === 'resolved') {
        const alert = group?.alerts[event.id];
        if (alert && alert.resolvedAtMs === undefined) {
          alert.resolvedAtMs = nowMs;
          alert.value = event.value;
          alert.lastEventAtMs = nowMs;
          Object.assign(alert, ruleText(event));
        }
        continue;
      }
      if (!group) {
        group = newGroup(key, route, groupLabels, nowMs);
        state.groups[group.id] = group;
      }
      const existing = group.alerts[event.id];
      if (existing && existing.resolvedAtMs === undefined) {
        existing.value = event.value;
        Object.assign(existing, ruleText(event));
        existing.lastEventAtMs = nowMs;
      } else {
        // New, or firing again after a resolve: a fresh alert as far as receivers are concerned.
        group.alerts[event.id] = {
          id: event.id,
          labels,
          severity: event.severity,
          activeSinceMs: event.activeSinceMs,
          firingSinceMs: nowMs,
          value: event.value,
          lastEventAtMs: nowMs,
          ...ruleText(event),
        };
      }
    }
  }
}

/** The rule's own words the driver attached (src/rules/rule-text.ts), and the detector's explain. */
function ruleText(event: AlertEvent): Pick<AlertRecord, 'summaryTemplate' | 'kind' | 'runbook' | 'explain' | 'chart'> {
  const e = event as AlertEvent & { kind?: string; summaryTemplate?: string; chart?: AlertChart };
  const out: { -readonly [K in 'summaryTemplate' | 'kind' | 'runbook' | 'explain' | 'chart']?: AlertRecord[K] } = {};
  if (e.chart !== undefined) out.chart = e.chart;
  if (e.summaryTemplate !== undefined) out.summaryTemplate = e.summaryTemplate;
  if (e.kind !== undefined) out.kind = e.kind;
  if (e.runbook !== undefined) out.runbook = e.runbook;
  // Stored in the words a message uses, so a restart with an older state reads the same.
  if (e.explain !== undefined) out.explain = fromDetector(e.explain);
  return out;
}

function newGroup(key: string, route: Route, labels: Labels, nowMs: number): GroupState {
  const { routes: _children, ...snapshot } = route;
  return {
    id: `g-${shortHash(`${key}|${nowMs}`)}`,
    key,
    route: snapshot,
    labels,
    createdAtMs: nowMs,
    nextFlushAtMs: nowMs + route.groupWaitMs,
    alerts: {},
    steps: [{ receiver: route.receiver, afterMs: 0 }, ...route.steps.map((s) => ({ receiver: s.receiver, afterMs: s.afterMs }))],
  };
}

/** After a flush: receivers have been told of the resolved alerts, so they leave the group; an empty
 *  group is finished (the next firing alert opens a new incident and a new Slack message). */
export function afterFlush(state: EscalationState, group: GroupState, nowMs: number): void {
  for (const [id, alert] of Object.entries(group.alerts)) if (alert.resolvedAtMs !== undefined) delete group.alerts[id];
  const interval = group.route.groupIntervalMs;
  // A ticker, as Alertmanager's: every group_interval from the first flush; a driver that skipped
  // ahead (a gap in a recording) resumes one interval from now.
  group.nextFlushAtMs += interval;
  if (group.nextFlushAtMs <= nowMs) group.nextFlushAtMs = nowMs + interval;
  if (Object.keys(group.alerts).length === 0) {
    delete state.groups[group.id];
    for (const key of Object.keys(state.nflog)) if (key.startsWith(`${group.id}|`)) delete state.nflog[key];
  }
}

/** Per-group references the outbox no longer needs once the group is gone and its queue is empty. */
export function collectFinished(state: EscalationState): void {
  const live = new Set([...Object.keys(state.groups), ...state.outbox.map((e) => e.groupId)]);
  for (const map of [state.slackMessages, state.emailThreads]) {
    for (const key of Object.keys(map)) if (!live.has(key.split('|')[0]!)) delete map[key];
  }
}
