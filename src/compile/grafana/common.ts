// What both dashboards share: the datasource variable, the alert annotation, the time settings (in UTC,
// like every message sentinel sends) and tags.
import {
  AnnotationQueryBuilder,
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
  DatasourceVariableBuilder,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { DATASOURCE } from './panels.js';

export const TAG = 'integration-sentinel';

export function baseDashboard(uid: string, title: string, description: string): DashboardBuilder {
  return new DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags([TAG])
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .time({ from: 'now-6h', to: 'now' })
    .timezone('utc')
    .refresh('1m')
    .withVariable(new DatasourceVariableBuilder('datasource').label('Data source').type('prometheus'))
    .link(
      new DashboardLinkBuilder('Integration Sentinel')
        .type(DashboardLinkType.Dashboards)
        .tags([TAG])
        .asDropdown(true)
        .includeVars(true)
        .keepTime(true)
        .icon('external link')
        .tooltip('Other Integration Sentinel dashboards')
        .targetBlank(false),
    );
}

/** Firing alerts (Prometheus' ALERTS series) drawn as annotations on every time series panel, with the
 *  rule's runbook in the text when it has one. */
export function alertAnnotation(expr: string): AnnotationQueryBuilder {
  return new AnnotationQueryBuilder()
    .name('Alerts firing')
    .datasource(DATASOURCE)
    .enable(true)
    .iconColor('red')
    .target(new DataqueryBuilder().refId('Anno').expr(expr))
    .expr(expr)
    .step('1m')
    .titleFormat('{{alertname}}')
    .textFormat('{{severity}} {{partner}}{{zone}}{{db_operation_name}}{{queue}} {{runbook_url}}')
    .tagKeys('alertname,severity')
    .useValueForTime(false);
}
