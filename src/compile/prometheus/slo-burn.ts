// slo_burn in the shape Sloth generates: one `slo:sli_error:ratio_rate<window>` recording per window
// (labelled sloth_id / sloth_service / sloth_slo / sloth_window, so Sloth's Grafana dashboards read
// them), Sloth's metadata series, and two alerts: the page (critical) is the OR of its pairs, each
// `max without (sloth_window) (ratio_rate1h > 14.4 * budget) and max without (...) (ratio_rate5m > 14.4 * budget)`,
// the ticket (warning) likewise. Beyond Sloth, as the detector: the traffic guard (calls in the short
// window), the alert's shortest window confirming each pair, and the hysteresis (a firing alert holds
// while a pair stays above exit_at of its burn).
import type { BurnWindow, SloBurnRule } from '../../rules/index.js';
import { SLO_ALERT_LABEL } from '../../rules/slo-schema.js';
import { promDuration, promString } from '../promql.js';
import { on, recordName, ruleSelector, sumBy } from './common.js';
import type { KindTranslation, RecordingRule } from './types.js';

const SLOTH = ['sloth_id', 'sloth_service', 'sloth_slo'];

export function sloBurn(rule: SloBurnRule): KindTranslation {
  const budget = Number((1 - rule.objective).toPrecision(12));
  const sloth = { sloth_id: rule.name, sloth_service: 'sentinel', sloth_slo: rule.name };
  const id = `{sloth_id=${promString(rule.name)}}`;
  const ratio = (ms: number) => `slo:sli_error:ratio_rate${promDuration(ms)}${id}`;
  const calls = (ms: number) => recordName(rule, `calls_${promDuration(ms)}`);
  const all = (range: string) => sumBy(rule, `rate(${ruleSelector(rule)}${range})`);
  const errors = (range: string) => sumBy(rule, `rate(${ruleSelector(rule, [{ label: rule.outcomeLabel, op: '!=', value: rule.successValue }])}${range})`);
  const windows = [...new Set(rule.windows.flatMap((w) => [w.shortMs, w.longMs]))].sort((a, b) => a - b);
  const shorts = [...new Set(rule.windows.map((w) => w.shortMs))].sort((a, b) => a - b);
  const recording: RecordingRule[] = [
    // No failed call at all is a ratio of 0, not an absent series (the dashboard draws it).
    ...windows.map((ms) => {
      const r = `[${promDuration(ms)}]`;
      return { record: `slo:sli_error:ratio_rate${promDuration(ms)}`, expr: `(${errors(r)} or ${on(rule.by)} 0 * ${all(r)}) / ${on(rule.by)} ${all(r)}`, labels: { ...sloth, sloth_window: promDuration(ms) } };
    }),
    ...shorts.map((ms) => ({ record: calls(ms), expr: sumBy(rule, `increase(${ruleSelector(rule)}[${promDuration(ms)}])`) })),
    { record: 'slo:objective:ratio', expr: `vector(${rule.objective})`, labels: sloth },
    { record: 'slo:error_budget:ratio', expr: `vector(${budget})`, labels: sloth },
    { record: 'slo:time_period:days', expr: `vector(${rule.periodMs / 86_400_000})`, labels: sloth },
    { record: 'slo:current_burn_rate:ratio', expr: `${ratio(windows[0]!)} / on (${SLOTH.join(', ')}) group_left() slo:error_budget:ratio${id}`, labels: sloth },
    // One per-rule series of the burn the detector reports (the first pair's long window), for panels.
    { record: recordName(rule, 'burn_rate'), expr: `${entityOnly(ratio(rule.windows[0]!.longMs))} / ${budget}` },
  ];
  const by = on(rule.by);
  const above = (ms: number, level: number) => entityOnly(`${ratio(ms)} > (${Number(level.toPrecision(12))} * ${budget})`);
  const enough = (ms: number) => `${calls(ms)} >= ${rule.minCalls}`;
  const few = (ms: number) => `${calls(ms)} < ${rule.minCalls}`;
  const alert = (kind: 'page' | 'ticket') => {
    const pairs = rule.windows.filter((w) => w.alert === kind);
    if (pairs.length === 0) return undefined;
    // The alert's shortest window says whether the burn is still going on now (as in the detector).
    const now = Math.min(...pairs.map((w) => w.shortMs));
    const enter = pairs.map((w) => `(${above(w.longMs, w.burn)} and ${by} ${above(w.shortMs, w.burn)} and ${by} ${enough(w.shortMs)} and ${by} (${above(now, w.burn)} or ${by} ${few(now)}))`);
    // Hysteresis: once firing, a pair holds down to exit_at of its burn in its long window and the
    // shortest one (too few calls there: its own short window; too few there too: the long one alone).
    const stay = pairs.map((w) => {
      const exit = rule.exitAt * w.burn;
      return `(${above(w.longMs, exit)} and ${by} ((${above(now, exit)} and ${by} ${enough(now)}) or ${by} (${few(now)} and ${by} (${above(w.shortMs, exit)} or ${by} ${few(w.shortMs)}))))`;
    });
    const firing = `ALERTS{alertname=${promString(rule.name)}, alertstate="firing", ${SLO_ALERT_LABEL}="${kind}"}`;
    const condition = `(${enter.join(' or ')} or ((${stay.join(' or ')}) and ${by} ${firing})) / ${budget}`;
    return { condition, labels: { [SLO_ALERT_LABEL]: kind, severity: kind === 'page' ? rule.severity : 'warning' } };
  };
  const alerts = [alert('page'), alert('ticket')].filter((a) => a !== undefined);
  return {
    compiled: true,
    recording,
    condition: alerts[0]!.condition,
    alerts,
    extraAlertLabels: [SLO_ALERT_LABEL],
    signal: { value: recordName(rule, 'burn_rate'), unit: 'short' },
    note: {
      subject: rule.name,
      fidelity: 'approximate',
      reason:
        `multiwindow burn rates as Sloth writes them (objective ${rule.objective}, budget ${budget}); ` +
        'rate() extrapolates at the window edges where the detector counts increases; a firing alert holds while any of its pairs stays above exit_at (the detector: only the pairs that fired, and its Poisson test that a recovery is not chance is not compiled); ' +
        'rate() reads only the history there is, where the detector counts time not yet watched as burning nothing (a new partner\'s first failures weigh more here)',
    },
  };
}

/** A per-window series reduced to the entity's labels (`by`), as the detector's alerts carry. */
function entityOnly(expr: string): string {
  return `max without (sloth_window, ${SLOTH.join(', ')}) (${expr})`;
}
