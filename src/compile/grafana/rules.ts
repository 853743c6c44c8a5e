// Panels generated from the rule pack: for each rule, the series its compiled Prometheus alert judges
// (the recording rules of `sentinel compile --target prometheus`) and, where it has one, its learned normal,
// so a page in Slack and the line on the dashboard are the same number.
import type { Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import { translate } from '../prometheus/index.js';
import type { Rule } from '../../rules/index.js';
import { timeseries, type Query } from './panels.js';
import { PARTNER_VAR } from './queries.js';

export function rulePanels(rules: readonly Rule[]): cog.Builder<Panel>[] {
  const panels: cog.Builder<Panel>[] = [];
  for (const rule of rules) {
    const translation = translate(rule);
    if (!translation.compiled) continue;
    const { signal } = translation;
    const filter = rule.by.includes('partner') ? `{partner=${PARTNER_VAR}}` : '';
    const legendLabels = [...rule.by, ...translation.extraAlertLabels].filter((l) => l !== 'partner');
    const legend = legendLabels.map((l) => `{{${l}}}`).join(' ') || rule.name;
    const queries: Query[] = [{ expr: `${signal.value}${filter}`, legend }];
    if (signal.normal) queries.push({ expr: `${signal.normal}${filter}`, legend: `${legend} normal` });
    panels.push(
      timeseries(
        {
          title: `Rule ${rule.name}`,
          description: `${rule.kind} rule (${rule.severity}): "${rule.summary}". The series its compiled Prometheus alert judges${signal.normal ? ', and its learned normal (dashed)' : ''}; empty unless the rules compiled by \`sentinel compile --target prometheus\` are loaded.`,
          unit: signal.unit,
          width: 12,
          queries,
          links: rule.runbook ? [{ title: `Runbook: ${rule.name}`, url: rule.runbook }] : [],
        },
        { dashedRefIds: signal.normal ? ['B'] : [] },
      ),
    );
  }
  return panels;
}
