// A `promtool test rules` file for one compiled rule: normal traffic long enough to cover warm-up and
// baseline (no alert), then the kind's synthetic incident (the alert fires with the right labels),
// then recovery (it resolves). Assertions read the ALERTS series, so they check labels and state.
import type { Rule } from '../../../rules/index.js';
import { rulesFileFromTest } from '../files.js';
import type { KindTranslation } from '../types.js';
import { incidentMinutes, scenarioFor } from './scenarios.js';
import { sloBurnUnitTest } from './slo-burn.js';
import { labelsForMatchers, renderValues, seriesText, type Timeline } from './series.js';

const MIN = 60_000;

export interface UnitTestFile {
  readonly rule_files: readonly string[];
  readonly evaluation_interval: string;
  readonly tests: readonly unknown[];
}

export function timelineFor(rule: Rule): Timeline {
  const history = 'historyMs' in rule ? rule.historyMs : 0;
  const window = 'windowMs' in rule ? rule.windowMs : 0;
  // success_drop judges against the same hour's history too: give it a day of it first.
  const season = rule.kind === 'success_drop' ? 24 * 60 * MIN + history + window : 0;
  const normal = Math.ceil(Math.max(rule.warmUpMs + rule.staleAfterMs, history + window, 60 * MIN, season) / MIN) + 60;
  const recovery = Math.ceil((window + rule.keepFiringForMs + rule.staleAfterMs) / MIN) + 10;
  // A process restart and a 10-minute scrape gap in normal traffic, both of which must not page.
  return { normal, incident: incidentMinutes(rule), recovery, restartAt: Math.floor(normal * 0.3), gap: [Math.floor(normal * 0.7), Math.floor(normal * 0.7) + 10] };
}

/** The unit test, or a reason it cannot be generated (then compile reports it). */
export function unitTestFor(rule: Rule, translation: Extract<KindTranslation, { compiled: true }>): UnitTestFile | string {
  if (rule.kind === 'slo_burn') return sloBurnUnitTest(rule);
  const base = labelsForMatchers(rule.matchers);
  if (typeof base === 'string') return base;
  const t = timelineFor(rule);
  const scenario = scenarioFor(rule, t, base);
  const alertLabels = [...rule.by, ...translation.extraAlertLabels];
  const alerts = (state?: string) => `ALERTS{alertname="${rule.name}"${state ? `, alertstate="${state}"` : ''}}`;
  const firing = scenario.firing.map((entity) => {
    const labels: Record<string, string> = { ...rule.labels, alertname: rule.name, alertstate: 'firing', rule: rule.name, severity: rule.severity };
    for (const label of alertLabels) if (entity[label] !== undefined) labels[label] = entity[label]!;
    return { labels: seriesText('ALERTS', labels), value: 1 };
  });
  return {
    rule_files: [rulesFileFromTest(rule.name)],
    evaluation_interval: '2m',
    tests: [
      {
        name: `${rule.name}: quiet on normal traffic (a restart, a 10-minute scrape gap), fires on the incident, resolves after it`,
        interval: '1m',
        input_series: scenario.series.map((s) => ({ series: seriesText(s.metric, s.labels), values: renderValues(s.values) })),
        promql_expr_test: [
          // Not one firing evaluation anywhere in normal traffic, restart, gap and blips included (a blip may
          // go pending: that is what `for` is for).
          { expr: `count_over_time(${alerts('firing')}[${t.normal - 1}m])`, eval_time: `${t.normal - 1}m`, exp_samples: [] },
          { expr: alerts(), eval_time: `${t.normal - 1}m`, exp_samples: [] },
          { expr: alerts('firing'), eval_time: `${t.normal + t.incident - 1}m`, exp_samples: firing },
          { expr: alerts(), eval_time: `${t.normal + t.incident + t.recovery}m`, exp_samples: [] },
        ],
      },
    ],
  };
}
