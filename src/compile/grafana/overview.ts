// The overview: is every partner healthy right now, compared with what is normal for this hour of the
// week, and are the database, routing and queues they share healthy?
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Rule } from '../../rules/index.js';
import { ALERTS_TABLE, runbooks } from './alerts.js';
import { alertAnnotation, baseDashboard } from './common.js';
import { stat, SUCCESS_RATIO_STEPS, table, timeseries } from './panels.js';
import * as q from './queries.js';
import { withSharedRows } from './shared-rows.js';

export const OVERVIEW_UID = 'sentinel-overview';

export function overviewDashboard(baselineWeeks: number, rules: readonly Rule[]): Dashboard {
  const alerts = q.alertsFiringWithRunbooks(runbooks(rules));
  const dashboard = baseDashboard(OVERVIEW_UID, 'Integration Sentinel / Overview', 'Every partner integration at a glance: successes against their learned normal, errors by code, alerts firing, and the database, routing and queues they share.')
    .annotation(alertAnnotation(alerts))
    .withRow(new RowBuilder('Partners'))
    .withPanel(
      timeseries(
        {
          title: 'Success rate against learned normal',
          description: `Successful partner calls per second (solid) and the median of the same hour of the week over the last ${baselineWeeks} weeks (dashed): the normal success_drop compares against.`,
          unit: 'reqps',
          width: 16,
          linkToPartner: true,
          queries: [
            { expr: q.successRate(), legend: '{{partner}}' },
            { expr: q.successRateNormal(baselineWeeks), legend: '{{partner}} normal' },
          ],
        },
        { dashedRefIds: ['B'] },
      ),
    )
    .withPanel(
      stat({
        title: 'Success ratio (5m)',
        description: 'Share of calls that succeeded in the last 5 minutes, per partner: red below 90 %, orange below 99 %.',
        unit: 'percentunit',
        width: 8,
        linkToPartner: true,
        thresholds: SUCCESS_RATIO_STEPS,
        queries: [{ expr: q.successRatio(undefined, '5m'), legend: '{{partner}}', instant: true }],
      }),
    )
    .withRow(new RowBuilder('Errors'))
    .withPanel(
      timeseries({
        title: 'Errors by partner and code',
        description: 'Failed partner calls per second, by partner and error code (HTTP status or the partner\'s own code).',
        unit: 'reqps',
        width: 14,
        linkToPartner: true,
        queries: [{ expr: q.errorsByCode(), legend: '{{partner}} {{error_code}}' }],
      }),
    )
    .withPanel(
      table({
        title: 'Error codes in the last hour',
        description: 'Every partner and error code seen in the last hour, with its count: a new code stands out here first.',
        unit: 'short',
        width: 10,
        queries: [{ expr: q.errorCodesLastHour(), instant: true }],
        hide: ['Time'],
        rename: { error_code: 'error code', Value: 'calls (1h)' },
      }),
    )
    .withRow(new RowBuilder('Alerts'))
    .withPanel(
      table({
        title: 'Alerts firing',
        description: 'Alerts Prometheus is firing now (the ALERTS series), with their severity, entity labels and runbook.',
        unit: 'short',
        width: 24,
        queries: [{ expr: alerts, instant: true }],
        ...ALERTS_TABLE,
      }),
    );
  return withSharedRows(dashboard).build();
}
