// One synthetic incident per rule kind, in the metric contract's shapes: what normal traffic looks like,
// what breaks, and which alerts must fire. Rates are per minute (the series step).
import type { Rule } from '../../../rules/index.js';
import { countSeriesName } from '../../../model/index.js';
import { counter, exampleValue, gauge, noise, type Timeline } from './series.js';

export interface InputSeries {
  readonly metric: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly values: readonly (number | undefined)[];
}

export interface Scenario {
  readonly series: readonly InputSeries[];
  /** Label sets (entity + extra labels, without alertname/severity) that must be firing in the incident. */
  readonly firing: readonly Readonly<Record<string, string>>[];
}

const MIN = 60_000;

/** How long the incident must last for this rule to fire: its window filled, then `for`, with margin. */
export function incidentMinutes(rule: Rule): number {
  // Share kinds: a long incident (4 hours here; the postmortem's ran 10) must still be firing at its end, which
  // only holds if the baseline stays frozen while the alert is active.
  if (rule.kind === 'error_code_shift' || rule.kind === 'error_rate' || rule.kind === 'timeouts') return 4 * 60;
  // success_drop: the postmortem's 3 hours without a success; the recent level's history fills with
  // zeros within the first, so only a frozen normal keeps the alert firing to the end.
  if (rule.kind === 'success_drop') return 3 * 60;
  const window = 'windowMs' in rule ? rule.windowMs : 'rateWindowMs' in rule && rule.rateWindowMs ? rule.rateWindowMs : 0;
  const extra = rule.kind === 'queue_backlog' ? rule.maxOldestAgeMs : 0;
  return Math.ceil((window + rule.forMs + extra) / MIN) + 10;
}

export function scenarioFor(rule: Rule, t: Timeline, base: Readonly<Record<string, string>>): Scenario {
  const entity: Record<string, string> = { ...base };
  for (const label of rule.by) entity[label] ??= exampleValue(label);
  const calm = (m: number) => 1 + 0.1 * noise(m);
  // Quiet-fortnight events inside normal traffic, none of which may page: a deploy blip (2 minutes of
  // 8% 503s), a 2.5x traffic surge for 3 hours, and a partner calling 0.4 times a minute with a
  // 40-minute silence.
  const deployBlip = (m: number) => m >= Math.floor(t.normal * 0.5) && m < Math.floor(t.normal * 0.5) + 2;
  const surge = (m: number) => (m >= Math.floor(t.normal * 0.6) && m < Math.floor(t.normal * 0.6) + 180 ? 2.5 : 1);
  const quietPartner = rule.by.includes('partner') ? { ...entity, partner: 'tiny-lab' } : undefined;
  const trickle = (m: number, p: string) => (p !== 'normal' || (m >= Math.floor(t.normal * 0.4) && m < Math.floor(t.normal * 0.4) + 40) ? 0 : m % 5 === 0 || m % 5 === 2 ? 1 : 0);
  switch (rule.kind) {
    case 'error_code_shift': {
      const { outcomeLabel: outcome, codeLabel: code } = rule;
      return {
        series: [
          { metric: rule.metric, labels: { ...entity, [outcome]: rule.successValue }, values: counter(t, (m, p) => (p === 'incident' ? 10 : Math.round(60 * calm(m)))) },
          // A steady trickle of 503s is normal and must not page, nor must a deploy's 2 minutes of 8% 503s.
          { metric: rule.metric, labels: { ...entity, [outcome]: 'server_error', [code]: '503' }, values: counter(t, (m) => (deployBlip(m) ? 5 : 1)) },
          // The partner starts answering 403 to most calls: a code never seen before.
          { metric: rule.metric, labels: { ...entity, [outcome]: 'client_error', [code]: '403' }, values: counter(t, (_m, p) => (p === 'normal' ? undefined : p === 'incident' ? 50 : 0)) },
        ],
        firing: [{ ...entity, [code]: '403' }],
      };
    }
    case 'error_rate': {
      const outcome = rule.outcomeLabel;
      return {
        series: [
          { metric: rule.metric, labels: { ...entity, [outcome]: rule.successValue }, values: counter(t, (m, p) => (p === 'incident' ? 30 : Math.round(60 * calm(m)))) },
          { metric: rule.metric, labels: { ...entity, [outcome]: 'server_error', error_code: '503' }, values: counter(t, (m, p) => (p === 'incident' ? 40 : deployBlip(m) ? 5 : 1)) },
        ],
        firing: [entity],
      };
    }
    case 'success_drop':
      return {
        series: [
          // Check-ins stop succeeding, and nothing else changes: no error anywhere. Before that, a surge ends.
          { metric: rule.metric, labels: entity, values: counter(t, (m, p) => (p === 'incident' ? 0 : Math.round(30 * surge(m) * calm(m)))) },
          // A partner with 0.4 calls a minute falls silent for 40 minutes: too few calls to judge, never a page.
          ...(quietPartner ? [{ metric: rule.metric, labels: quietPartner, values: counter(t, trickle) }] : []),
        ],
        firing: [entity],
      };
    case 'latency': {
      const base = rule.metric.replace(/_(bucket|sum|count)$/, '');
      const mean = (m: number, p: string) => (p === 'incident' ? 1.2 : 0.1 * (1 + 0.2 * noise(m, 1)));
      return {
        series: [
          { metric: `${base}_count`, labels: entity, values: counter(t, () => 60) },
          { metric: `${base}_sum`, labels: entity, values: counter(t, (m, p) => 60 * mean(m, p)) },
        ],
        firing: [entity],
      };
    }
    case 'timeouts': {
      const name = countSeriesName(rule.metric);
      return {
        series: [
          { metric: name, labels: entity, values: counter(t, (m) => Math.round(60 * calm(m))) },
          { metric: name, labels: { ...entity, [rule.timeoutLabel]: rule.timeoutValue }, values: counter(t, (_m, p) => (p === 'normal' ? undefined : p === 'incident' ? 20 : 0)) },
        ],
        firing: [entity],
      };
    }
    case 'routing_flows': {
      const zones = Math.max(rule.minZones, 1);
      const series: InputSeries[] = [];
      const firing: Record<string, string>[] = [];
      // A 2-minute blip in one zone, halfway through normal traffic, must not page.
      const blip = (m: number) => m >= Math.floor(t.normal / 2) && m < Math.floor(t.normal / 2) + 2;
      for (let z = 0; z < zones + 1; z++) {
        const labels = { ...entity, ...Object.fromEntries(rule.by.map((l) => [l, exampleValue(l, z)])) };
        const broken = (m: number, p: string) => (p === 'incident' && z < zones) || (z === 0 && blip(m));
        series.push({ metric: rule.metric, labels: { ...labels, [rule.stateLabel]: 'healthy' }, values: gauge(t, (m, p) => (broken(m, p) ? 10 : 20)) });
        series.push({ metric: rule.metric, labels: { ...labels, [rule.stateLabel]: rule.unhealthyValue }, values: gauge(t, (m, p) => (broken(m, p) ? 10 : 0)) });
        if (z < zones) firing.push(labels);
      }
      return { series, firing };
    }
    case 'queue_backlog': {
      const start = t.normal;
      // The queue stops draining: nothing is processed, the backlog and the oldest event's age grow.
      return {
        series: [
          { metric: rule.metric, labels: { ...entity, [rule.outcomeLabel]: 'enqueued' }, values: counter(t, () => 30) },
          { metric: rule.metric, labels: { ...entity, [rule.outcomeLabel]: 'processed' }, values: counter(t, (_m, p) => (p === 'incident' ? 0 : 30)) },
          { metric: rule.pendingMetric, labels: entity, values: gauge(t, (m, p) => (p === 'incident' ? 5 + 30 * (m - start) : 5)) },
          { metric: rule.oldestAgeMetric, labels: entity, values: gauge(t, (m, p) => (p === 'incident' ? 10 + 60 * (m - start) : 10)) },
        ],
        firing: [entity],
      };
    }
    case 'threshold': {
      const quiet = rule.op === '>' || rule.op === '>=' ? rule.value / 2 - 1 : rule.value * 2 + 1;
      const loud = rule.op === '>' || rule.op === '>=' ? rule.value * 2 + 1 : rule.value / 2 - 1;
      const level = (p: string) => (p === 'incident' ? loud : quiet);
      return {
        series: [{ metric: rule.metric, labels: entity, values: rule.rateWindowMs ? counter(t, (_m, p) => level(p) * 60) : gauge(t, (_m, p) => level(p)) }],
        firing: [entity],
      };
    }
    case 'slo_burn':
      // Its own test file (./slo-burn.ts): a page and a ticket, with windows up to days.
      throw new Error(`${rule.name}: slo_burn rules have their own unit test`);
    case 'anomaly':
      // Never compiled (see ../anomaly.ts), so never asked for a unit test.
      throw new Error(`${rule.name}: anomaly rules are not compiled for Prometheus`);
  }
}
