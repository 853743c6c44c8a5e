// success_drop: successes in the window far below what was expected, judged against two normals that
// must both agree (as in the detector, src/detect/kinds/success-drop.ts): the recent level (the
// `history` before the window) and the seasonal level (same hour of the week over past weeks, else
// same hour of past days of the same kind), Poisson-aware. While the alert is active its normal stays
// frozen where it was when the condition began (read from the rule's own ALERTS series and the
// recording rule's last value), and a firing alert holds until successes recover.
import type { SuccessDropRule } from '../../rules/index.js';
import { byClause, promDuration, promString } from '../promql.js';
import { on, recordName, ruleSelector, sumBy, warmUpGuard } from './common.js';
import { poissonDeficit } from './poisson.js';
import type { KindTranslation } from './types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** Past weeks (and, before a week of history exists, past days) the seasonal normal looks at. */
export const SEASONAL_WEEKS = 4;

export function successDrop(rule: SuccessDropRule): KindTranslation {
  const w = promDuration(rule.windowMs);
  const h = promDuration(rule.historyMs);
  const series = ruleSelector(rule);
  const perWindow = rule.windowMs / HOUR;
  const observed = recordName(rule, 'successes');
  const recent = recordName(rule, 'expected_recent');
  const seasonal = recordName(rule, 'expected_seasonal');
  const normal = recordName(rule, 'normal');
  const recentFrozen = recordName(rule, 'expected_recent_frozen');
  const normalFrozen = recordName(rule, 'normal_frozen');
  const recoveryLevel = recordName(rule, 'recovery_level');
  const by = on(rule.by);
  const improbable = recordName(rule, 'improbably_low');
  const improbableSeasonal = recordName(rule, 'improbably_low_seasonal');
  const active = `ALERTS{alertname=${promString(rule.name)}}`;
  const firing = `ALERTS{alertname=${promString(rule.name)},alertstate="firing"}`;

  /** Successes per window over the hour ending `agoMs` before now. */
  const hourly = (agoMs: number) => `${sumBy(rule, `increase(${series}[1h] offset ${promDuration(agoMs)})`)} * ${perWindow}`;
  /** Median over the hours ending each of `agosMs` ago (a missing one drops out). */
  const median = (agosMs: readonly number[]) =>
    `quantile${byClause(rule.by)} (0.5, ${agosMs.map((ago, i) => `label_replace(${hourly(ago)}, "baseline_ago", "${i + 1}", "", "")`).join(' or ')})`;
  /** The lower of two per-entity vectors (either alone when the other is missing). */
  const lower = (a: string, b: string) => `((${a}) <= ${by} (${b}) or ${by} (${b}) or ${by} (${a}))`;
  /** The lower of the hour ending at each offset and the hour after it: the evening decline halves an hour's end. */
  const withNeighbour = (agosMs: readonly number[]) => lower(median(agosMs), median(agosMs.map((a) => a - HOUR)));
  const steps = (stepMs: number) => Array.from({ length: SEASONAL_WEEKS }, (_, i) => (i + 1) * stepMs);
  const weekday = 'on () (day_of_week() > 0 and day_of_week() < 6)';

  const drop = (expected: string, improbableRecord: string) =>
    `(${observed} <= ${by} (${expected} * ${rule.dropRatio}) and ${by} ${improbableRecord})`;
  return {
    compiled: true,
    recording: [
      { record: observed, expr: `round(${sumBy(rule, `increase(${series}[${w}])`)})` },
      { record: recent, expr: `${sumBy(rule, `increase(${series}[${h}] offset ${w})`)} * ${rule.windowMs / rule.historyMs}` },
      {
        // Same hour of the week over past weeks; else, on a weekday, past days (a weekend among them is
        // lower: the veto only gets stricter); on a weekend only a weekend day (never a weekday's level).
        record: seasonal,
        expr:
          `${withNeighbour(steps(WEEK))}` +
          ` or ${by} (${withNeighbour(steps(DAY))} and ${weekday})` +
          ` or ${by} (${lower(hourly(DAY), hourly(DAY - HOUR))} and on () (day_of_week() == 0))` +
          ` or ${by} (${lower(hourly(6 * DAY), hourly(6 * DAY - HOUR))} and on () (day_of_week() == 6))`,
      },
      { record: normal, expr: lower(recent, seasonal) },
      // Frozen while the alert is pending or firing: the outage's zeros fill `history` within the hour.
      { record: recentFrozen, expr: `${recent} unless ${by} ${active} or ${by} last_over_time(${recentFrozen}[${h}])` },
      { record: normalFrozen, expr: `${normal} unless ${by} ${active} or ${by} last_over_time(${normalFrozen}[${h}])` },
      // A firing alert resolves once the window holds this many: recover_ratio (by default RECOVERY_FACTOR x drop_ratio, rules/defaults.ts) of the
      // frozen normal, or of the season's level now when lower (an outage running into the evening).
      { record: recoveryLevel, expr: `${lower(normalFrozen, seasonal)} * ${Math.min(1, rule.recoverRatio)}` },
      // The observed count, kept only where so few is improbable under each normal (Poisson CDF < p_value).
      { record: improbable, expr: poissonDeficit(observed, recentFrozen, rule.pValue, by) },
      { record: improbableSeasonal, expr: poissonDeficit(observed, seasonal, rule.pValue, by) },
    ],
    // Both normals must agree. An hour never seen (no seasonal normal yet) is warm-up: only a full stop
    // pages, where at least 2 x min_expected successes were expected (a surge ending into the evening
    // decline is a 95% drop, not a stop). Once firing: holds until the recovery level is reached.
    condition:
      `${observed} / ${by} ${recentFrozen} and ${by} ${recentFrozen} >= ${rule.minExpected}` +
      ` and ${by} ${drop(recentFrozen, improbable)}` +
      ` and ${by} (${drop(seasonal, improbableSeasonal)} or ${by} ((${observed} == 0 and ${by} ${recentFrozen} >= ${2 * rule.minExpected}) unless ${by} ${seasonal}))` +
      warmUpGuard(rule) +
      ` or ${by} (${observed} / ${by} ${recentFrozen} and ${by} ${observed} < ${by} ${recoveryLevel} and ${by} ${firing})`,
    extraAlertLabels: [],
    signal: { value: observed, normal: recent, unit: 'short' },
    note: {
      subject: rule.name,
      fidelity: 'approximate',
      reason:
        `the seasonal normal is the median rate of the same sliding hour 1..${SEASONAL_WEEKS} weeks ago (else 1..${SEASONAL_WEEKS} days ago on a weekday, the Saturday before on a Sunday, the Sunday before on a Saturday), the lower of it and the hour after it, where the detector keeps clock-hour slots learned online (each the median of its last 3 hours, a slot seen once not counted) and takes the previous clock hour in an hour's first half; ` +
        `the detector does not learn hours inside an active alert, while these offsets read an outage's hours a week (or day) later (the median over ${SEASONAL_WEEKS} weeks dampens one); ` +
        `the freeze while the alert is active reads ALERTS and the frozen recording rules' own last value (lost if Prometheus restarts mid-alert); ` +
        `the Poisson test (p < ${rule.pValue}) is the exact sum for small counts and Wilson–Hilferty above; ` +
        `the hysteresis is compiled (resolves at recover_ratio ${Math.min(1, rule.recoverRatio)} of the frozen normal); not compiled: a partial drop's sustain (${promDuration(rule.sustainMs)} above a quarter of normal before pending, counted from p <= 1e-3), the detector's widening of the window to 2-3x where fewer than 100 successes are expected, and its carrying of the recent level along the season's shape (here the recent level is the plain history before the window: on the morning rise this rule pages later than the detector)`,
    },
  };
}
