// Kinds read from gauges or plain bounds: routing_flows, queue_backlog, threshold.
import type { QueueBacklogRule, RoutingFlowsRule, ThresholdRule } from '../../rules/index.js';
import { byClause, promDuration, selectorText } from '../promql.js';
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
  const over = `${pending}[${b}]`;
  const by = rule.by;
  // The gauges carry only the entity's labels, so only matchers on those apply to them (as in the detector).
  const gaugeMatchers = rule.matchers.filter((m) => by.includes(m.label));
  const gauge = (metric: string) => selectorText(metric, gaugeMatchers);
  const warm = warmUpGuard(rule);
  const tooOld = `${oldest} >= ${rule.maxOldestAgeMs / 1000}`;
  const failing = `(${failed} >= ${rule.maxFailed}${warm})`;
  // Grew through the whole window: never fell (no decrease between samples: resets() == 0), ended above
  // where it started, and stands above median + k x max(sigma, 1) of its normal.
  const growing =
    `(${pending} >= ${rule.minPending}` +
    ` and ${on(by)} ${pending} > ${on(by)} (${median} + ${on(by)} clamp_min(${mad} * 1.4826, 1) * ${rule.madFactor})` +
    ` and ${on(by)} ${pending} > ${on(by)} (${pending} offset ${w})` +
    ` and ${on(by)} resets(${pending}[${w}]) == 0${warm})`;
  const active = `(${tooOld} or ${failing} or ${growing})`;
  return {
    compiled: true,
    recording: [
      { record: oldest, expr: `max${byClause(by)} (${gauge(rule.oldestAgeMetric)})` },
      { record: failed, expr: sumBy(rule, `increase(${ruleSelector(rule, [{ label: rule.outcomeLabel, op: '=', value: rule.failedValue }])}[${w}])`) },
      { record: pending, expr: sumBy(rule, gauge(rule.pendingMetric)) },
      { record: median, expr: `quantile_over_time(0.5, ${over})` },
      { record: mad, expr: `(quantile_over_time(0.75, ${over}) - quantile_over_time(0.25, ${over})) / 2` },
    ],
    // The value is the oldest pending event's age (0 when the queue does not report one), as the summary prints it.
    condition: `(${oldest} and ${on(by)} ${active} or ${active} * 0)`,
    extraAlertLabels: [],
    signal: { value: pending, normal: median, unit: 'short' },
    note: {
      subject: rule.name,
      fidelity: 'approximate',
      reason: `the pending backlog's normal is the median of its recorded level over ${b}, with the MAD estimated as half the inter-quartile range (quantile_over_time on a recording rule, learned from when the rules are loaded); the detector takes median and MAD of 5-minute points. The oldest-age, failed-events and "never fell during ${w}" conditions are exact`,
    },
  };
}
