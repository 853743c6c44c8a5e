// The generated `promtool test rules` file of an slo_burn rule: seven hours of calls well inside the
// objective (a restart and a 10-minute scrape gap among them), then half of the calls failing for
// 30 minutes. The page and the ticket fire; after recovery the page resolves (its windows empty of
// the incident) while the ticket, whose 6h window still holds it, stays firing.
import type { SloBurnRule } from '../../../rules/index.js';
import { SLO_ALERT_LABEL } from '../../../rules/slo-schema.js';
import { rulesFileFromTest } from '../files.js';
import { counter, exampleValue, labelsForMatchers, renderValues, seriesText, type Timeline } from './series.js';
import type { UnitTestFile } from './index.js';

const MIN = 60_000;

export function sloBurnUnitTest(rule: SloBurnRule): UnitTestFile | string {
  const base = labelsForMatchers(rule.matchers);
  if (typeof base === 'string') return base;
  const entity: Record<string, string> = { ...base };
  for (const label of rule.by) entity[label] ??= exampleValue(label);
  const longest = Math.max(...rule.windows.filter((w) => w.alert === 'page').map((w) => w.longMs), 60 * MIN);
  const normal = Math.ceil(longest / MIN) + 60;
  const incident = 30;
  // Long enough for the page's shortest window to empty of the incident, then keep_firing_for.
  const shortest = Math.min(...rule.windows.filter((w) => w.alert === 'page').map((w) => w.shortMs));
  const recovery = Math.ceil((shortest + rule.keepFiringForMs + rule.forMs) / MIN) + 10;
  const t: Timeline = { normal, incident, recovery, restartAt: Math.floor(normal * 0.3), gap: [Math.floor(normal * 0.7), Math.floor(normal * 0.7) + 10] };
  // 100 calls a minute; one failure in ten minutes (a fifth of the budget at 99.5%), then half failing.
  const failed = counter(t, (m, p) => (p === 'incident' ? 50 : m % 10 === 0 ? 1 : 0));
  const succeeded = counter(t, (m, p) => (p === 'incident' ? 50 : m % 10 === 0 ? 99 : 100));
  const alerts = (extra: string) => `ALERTS{alertname="${rule.name}"${extra}}`;
  const firing = (kind: 'page' | 'ticket') => ({
    labels: seriesText('ALERTS', { ...rule.labels, ...entity, alertname: rule.name, alertstate: 'firing', rule: rule.name, severity: kind === 'page' ? rule.severity : 'warning', [SLO_ALERT_LABEL]: kind }),
    value: 1,
  });
  const kinds = new Set(rule.windows.map((w) => w.alert));
  const hasTicket = kinds.has('ticket');
  return {
    rule_files: [rulesFileFromTest(rule.name)],
    evaluation_interval: '1m',
    tests: [
      {
        name: `${rule.name}: quiet inside the objective (a restart, a 10-minute scrape gap), pages on half the calls failing, the page resolves after it`,
        interval: '1m',
        input_series: [
          { series: seriesText(rule.metric, { ...entity, [rule.outcomeLabel]: 'server_error' }), values: renderValues(failed) },
          { series: seriesText(rule.metric, { ...entity, [rule.outcomeLabel]: rule.successValue }), values: renderValues(succeeded) },
        ],
        promql_expr_test: [
          { expr: `count_over_time(${alerts(', alertstate="firing"')}[${normal - 1}m])`, eval_time: `${normal - 1}m`, exp_samples: [] },
          { expr: alerts(', alertstate="firing"'), eval_time: `${normal + incident - 1}m`, exp_samples: [...(kinds.has('page') ? [firing('page')] : []), ...(hasTicket ? [firing('ticket')] : [])] },
          { expr: alerts(`, ${SLO_ALERT_LABEL}="page"`), eval_time: `${normal + incident + recovery}m`, exp_samples: [] },
        ],
      },
    ],
  };
}
