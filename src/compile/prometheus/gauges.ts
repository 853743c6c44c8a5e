// Kinds read from gauges or plain bounds: routing_flows, queue_backlog, threshold.
import type { QueueBacklogRule, RoutingFlowsRule, ThresholdRule } from '../../rules/index.js';
import { byClause, promDuration } from '../promql.js';
import { on, recordName, ruleSelector, sumBy, warmUpGuard } from './common.js';
import type { KindTranslation } from './types.js';

export function routingFlows(rule: RoutingFlowsRule): KindTranslation {
  const unhealthy = recordName(rule, 'unhealthy_flows');
  const ratio = recordName(rule, 'unhealthy_ratio');
  const zoneUnhealthy = `(${ratio} >= ${rule.minRatio} and ${on(rule.by)} ${unhealthy} >= ${rule.minUnhealthy})`;
  return {
    compiled: true,
    recording: [
      { record: unhealthy, expr: sumBy(rule, ruleSelector(rule, [{ label: rule.stateLabel, op: '=', value: rule.unhealthyValue }])) },
      { record: ratio, expr: `${unhealthy} / ${on(rule.by)} ${sumBy(rule, ruleSelector(rule))}` },
    ],
    // Active per zone, but only while enough zones are unhealthy together (one zone's blip is not an outage).
    condition: `${zoneUnhealthy} and on () (count(${zoneUnhealthy}) >= ${rule.minZones})` + warmUpGuard(rule),
    extraAlertLabels: [],
    signal: { value: ratio, unit: 'percentunit' },
    note: { subject: rule.name, fidelity: 'exact', reason: `unhealthy share per ${rule.by.join(', ')}, active while at least ${rule.minZones} are unhealthy together` },
  };
}

export function threshold(rule: ThresholdRule): KindTranslation {
  const series = ruleSelector(rule);
  const value = recordName(rule, rule.rateWindowMs ? 'rate' : 'value');
  const inner = rule.rateWindowMs ? `rate(${series}[${promDuration(rule.rateWindowMs)}])` : series;
  return {
    compiled: true,
    recording: [{ record: value, expr: sumBy(rule, inner) }],
    condition: `${value} ${rule.op} ${rule.value}` + warmUpGuard(rule),
    extraAlertLabels: [],
    signal: { value, unit: 'short' },
    note: { subject: rule.name, fidelity: 'exact', reason: 'a static bound' },
  };
}

export function queueBacklog(rule: QueueBacklogRule): KindTranslation {
  const w = promDuration(rule.windowMs);
  const b = promDuration(rule.baselineMs);
  const oldest = recordName(rule, 'oldest_pending_age_seconds');
  const failed = recordName(rule, 'failed');
  const pending = recordName(rule, 'pending');
  const median = recordName(rule, 'pending_baseline_median');
  const mad = recordName(rule, 'pending_baseline_mad');
  const over = `${pending}[${b}] offset ${w}`;
  const by = rule.by;
  const tooOld = `${oldest} > ${rule.maxOldestAgeMs / 1000}`;
  const failing = `${failed} >= ${rule.maxFailed}`;
  // "Grew through the whole window": above where the window started, and never below it meanwhile.
  const growing =
    `${pending} >= ${rule.minPending}` +
    ` and ${on(by)} ${pending} > ${on(by)} (${median} + ${on(by)} (${mad} * ${rule.madFactor * 1.4826}))` +
    ` and ${on(by)} ${pending} > ${on(by)} (${pending} offset ${w})` +
    ` and ${on(by)} min_over_time(${pending}[${w}]) >= ${on(by)} (${pending} offset ${w})`;
  const active = `(${tooOld} or ${failing} or ${growing})`;
  return {
    compiled: true,
    recording: [
      { record: oldest, expr: `max${byClause(by)} (${ruleSelector(rule, [], rule.oldestAgeMetric)})` },
      { record: failed, expr: sumBy(rule, `increase(${ruleSelector(rule, [{ label: rule.outcomeLabel, op: '=', value: rule.failedValue }])}[${w}])`) },
      { record: pending, expr: sumBy(rule, ruleSelector(rule, [], rule.pendingMetric)) },
      { record: median, expr: `quantile_over_time(0.5, ${over})` },
      { record: mad, expr: `(quantile_over_time(0.75, ${over}) - quantile_over_time(0.25, ${over})) / 2` },
    ],
    // The value is the oldest pending event's age whenever the queue reports it (the summary prints it).
    condition: `(${oldest} and ${on(by)} ${active} or ${active})` + warmUpGuard(rule),
    extraAlertLabels: [],
    signal: { value: pending, normal: median, unit: 'short' },
    note: {
      subject: rule.name,
      fidelity: 'approximate',
      reason: `the pending backlog's MAD is estimated as half its inter-quartile range over ${b} (quantile_over_time on a recording rule), and "grew through the window" as "above its start and never below it" at the ${w} scale; the oldest-age and failed-events conditions are exact`,
    },
  };
}
