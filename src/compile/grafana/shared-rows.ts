// The rows of what every partner's calls go through: the database, the routing flows per zone and the
// event queues. Their metrics carry no partner label, so they live on the overview, once.
import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { timeseries } from './panels.js';
import * as q from './queries.js';

export function withSharedRows(dashboard: DashboardBuilder): DashboardBuilder {
  return dashboard
    .withRow(new RowBuilder('Database'))
    .withPanel(
      timeseries({
        title: 'Database operations',
        description: 'Queries per second by operation (db.client.operation.duration).',
        unit: 'ops',
        width: 8,
        queries: [{ expr: q.dbOperationRate(), legend: '{{db_operation_name}} ({{db_system_name}})' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Database timeouts',
        description: 'Queries per second that ended in a timeout, by operation.',
        unit: 'ops',
        width: 8,
        queries: [{ expr: q.dbTimeoutRate(), legend: '{{db_operation_name}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Database latency p95',
        description: 'The 95th percentile query duration by operation.',
        unit: 's',
        width: 8,
        queries: [{ expr: q.dbLatencyP95(), legend: '{{db_operation_name}}' }],
      }),
    )
    .withRow(new RowBuilder('Routing'))
    .withPanel(
      timeseries({
        title: 'Routing flows per zone',
        description: 'Routing flows by availability zone and state (healthy / unhealthy).',
        unit: 'short',
        queries: [{ expr: q.routingFlows(), legend: '{{zone}} {{state}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Unhealthy share per zone',
        description: 'Share of each zone\'s routing flows that are unhealthy.',
        unit: 'percentunit',
        queries: [{ expr: q.unhealthyShareByZone(), legend: '{{zone}}' }],
      }),
    )
    .withRow(new RowBuilder('Queues'))
    .withPanel(
      timeseries({
        title: 'Queue pending events',
        description: 'Events waiting in each queue.',
        unit: 'short',
        width: 8,
        queries: [{ expr: q.queuePending(), legend: '{{queue}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Queue oldest pending age',
        description: 'Age of the oldest pending event in each queue.',
        unit: 's',
        width: 8,
        queries: [{ expr: q.queueOldestAge(), legend: '{{queue}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Queue events by outcome',
        description: 'Events per second enqueued, processed, retried and failed, by queue.',
        unit: 'ops',
        width: 8,
        queries: [{ expr: q.queueEvents(), legend: '{{queue}} {{outcome}}' }],
      }),
    );
}
