// One dashboard per partner, templated on a `partner` variable (the Grafana way: one JSON, every partner).
// Database, routing and queue metrics carry no partner label in the metric contract, so their rows are on
// the overview, not repeated here for every partner.
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { QueryVariableBuilder, RowBuilder, VariableRefresh, VariableSort } from '@grafana/grafana-foundation-sdk/dashboard';
import { alertAnnotation, baseDashboard } from './common.js';
import { ALERTS_TABLE, runbooks } from './alerts.js';
import { DATASOURCE, stat, SUCCESS_RATIO_STEPS, table, timeseries } from './panels.js';
import * as q from './queries.js';
import { rulePanels } from './rules.js';
import { METRIC } from '../../model/index.js';
import type { Rule } from '../../rules/index.js';

export const PARTNER_UID = 'sentinel-partner';

export function partnerDashboard(baselineWeeks: number, partners: readonly string[], rules: readonly Rule[]): Dashboard {
  const p = q.PARTNER_VAR;
  const variable = new QueryVariableBuilder('partner')
    .label('Partner')
    .datasource(DATASOURCE)
    .query(`label_values(${METRIC.requests}, partner)`)
    .definition(`label_values(${METRIC.requests}, partner)`)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc);
  if (partners.length > 0) variable.regex(`^(${partners.map(escapeRegex).join('|')})$`);

  const dashboard = baseDashboard(PARTNER_UID, 'Integration Sentinel / Partner', 'One partner integration in detail: calls, errors and latency. The database, routing and queues the partners share are on the overview.')
    .withVariable(variable)
    .annotation(alertAnnotation(q.alertsFiringWithRunbooks(runbooks(rules), p)))
    .withRow(new RowBuilder('Calls'))
    .withPanel(
      timeseries({
        title: 'Request rate by operation and outcome',
        description: 'Calls to $partner per second, by operation (templated route or method) and outcome.',
        unit: 'reqps',
        width: 16,
        queries: [{ expr: q.requestRateByOperationAndOutcome(p), legend: '{{operation}} {{outcome}}' }],
      }),
    )
    .withPanel(
      stat({
        title: 'Success ratio (5m)',
        description: 'Share of calls to $partner that succeeded in the last 5 minutes: red below 90 %, orange below 99 %.',
        unit: 'percentunit',
        width: 8,
        thresholds: SUCCESS_RATIO_STEPS,
        queries: [{ expr: q.successRatio(p, '5m'), legend: '{{partner}}', instant: true }],
      }),
    )
    .withPanel(
      timeseries(
        {
          title: 'Success rate against learned normal',
          description: `Successful calls per second (solid) and the median of the same hour of the week over the last ${baselineWeeks} weeks (dashed).`,
          unit: 'reqps',
          width: 24,
          queries: [
            { expr: q.successRate(p), legend: 'successes' },
            { expr: q.successRateNormal(baselineWeeks, p), legend: 'normal' },
          ],
        },
        { dashedRefIds: ['B'] },
      ),
    )
    .withRow(new RowBuilder('Errors'))
    .withPanel(
      timeseries({
        title: 'Error rate by code',
        description: 'Failed calls to $partner per second, by error code (HTTP status or the partner\'s own code).',
        unit: 'reqps',
        queries: [{ expr: q.errorsByCode(p), legend: '{{error_code}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Error ratio by operation',
        description: 'Share of failed calls per operation.',
        unit: 'percentunit',
        queries: [{ expr: q.errorRatioByOperation(p), legend: '{{operation}}' }],
      }),
    )
    .withRow(new RowBuilder('Latency'))
    .withPanel(
      timeseries({
        title: 'Latency p50 / p95 / p99',
        description: `Call duration quantiles from the ${METRIC.requestDuration} histogram.`,
        unit: 's',
        queries: [0.5, 0.95, 0.99].map((quantile) => ({ expr: q.latencyQuantile(quantile, p), legend: `p${Math.round(quantile * 100)}` })),
      }),
    )
    .withPanel(
      timeseries({
        title: 'Latency p95 by operation',
        description: 'The 95th percentile call duration of each operation.',
        unit: 's',
        queries: [{ expr: q.latencyQuantile(0.95, p, true), legend: '{{operation}}' }],
      }),
    )
    .withRow(new RowBuilder('Alerts'))
    .withPanel(
      table({
        title: 'Alerts firing for this partner',
        description: 'Alerts Prometheus is firing now for $partner (the ALERTS series), each with its rule\'s runbook.',
        unit: 'short',
        width: 24,
        queries: [{ expr: q.alertsFiringWithRunbooks(runbooks(rules), p), instant: true }],
        ...ALERTS_TABLE,
      }),
    );
  const signals = rulePanels(rules);
  if (signals.length > 0) {
    dashboard.withRow(new RowBuilder('Rule signals (compiled Prometheus rules)'));
    for (const panel of signals) dashboard.withPanel(panel);
  }
  return dashboard.build();
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
