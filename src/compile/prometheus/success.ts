// success_drop: successes in the window far below what was expected, judged against two normals that
// must both agree (as in the detector): the recent level (the `history` before the window) and the
// seasonal level (same hour of the week over past weeks, else same hour of the day), Poisson-aware.
import type { SuccessDropRule } from '../../rules/index.js';
import { promDuration, seasonalMedian } from '../promql.js';
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
  const hourly = (offset: string) => `${sumBy(rule, `increase(${series}[1h]${offset})`)} * ${perWindow}`;
  const by = on(rule.by);
  const improbable = recordName(rule, 'improbably_low');
  const improbableSeasonal = recordName(rule, 'improbably_low_seasonal');
  const drop = (expected: string, dropRatio: number, improbableRecord: string) =>
    `(${observed} <= ${by} (${expected} * ${dropRatio}) and ${by} ${improbableRecord})`;
  return {
    compiled: true,
    recording: [
      { record: observed, expr: `round(${sumBy(rule, `increase(${series}[${w}])`)})` },
      { record: recent, expr: `${sumBy(rule, `increase(${series}[${h}] offset ${w})`)} * ${rule.windowMs / rule.historyMs}` },
      {
        record: seasonal,
        expr: `${seasonalMedian(hourly, rule.by, SEASONAL_WEEKS, WEEK)} or ${by} ${seasonalMedian(hourly, rule.by, SEASONAL_WEEKS, DAY)}`,
      },
      // The observed count, kept only where so few is improbable under each normal (Poisson CDF < p_value).
      { record: improbable, expr: poissonDeficit(observed, recent, rule.pValue, by) },
      { record: improbableSeasonal, expr: poissonDeficit(observed, seasonal, rule.pValue, by) },
    ],
    // Both normals must agree, and an hour never seen before (no seasonal normal yet) never pages: a surge
    // ending into the evening decline is a 90% drop only the hour's history can call normal (as in the detector).
    condition:
      `${observed} / ${by} ${recent} and ${by} ${recent} >= ${rule.minExpected}` +
      ` and ${by} ${drop(recent, rule.dropRatio, improbable)}` +
      ` and ${by} ${drop(seasonal, rule.dropRatio, improbableSeasonal)}` +
      warmUpGuard(rule),
    extraAlertLabels: [],
    signal: { value: observed, normal: recent, unit: 'short' },
    note: {
      subject: rule.name,
      fidelity: 'approximate',
      reason: `the seasonal normal is the median rate of the same sliding hour 1..${SEASONAL_WEEKS} weeks ago (else 1..${SEASONAL_WEEKS} days ago), where the detector blends clock-hour slots learned online (hour-of-day slots keep weekdays and weekends apart; these offsets do not); the Poisson test (p < ${rule.pValue}) is the exact sum for small counts and Wilson–Hilferty above`,
    },
  };
}
