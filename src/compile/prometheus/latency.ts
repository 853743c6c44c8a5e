// latency: the window's mean duration (histogram sum / count) against a robust band learned from that
// same mean's own history, recorded every evaluation: median + k x 1.4826 x MAD. PromQL has
// quantile_over_time but no MAD over a range, so the MAD is taken as half the inter-quartile range of
// the recorded means: equal for symmetric noise, wider when the noise is skewed (so fewer, not more, pages).
import type { LatencyRule } from '../../rules/index.js';
import { promDuration, promString } from '../promql.js';
import { on, recordName, ruleSelector, sumBy, warmUpGuard } from './common.js';
import type { KindTranslation } from './types.js';

export function latency(rule: LatencyRule): KindTranslation {
  const w = promDuration(rule.windowMs);
  const b = promDuration(rule.baselineMs);
  const base = rule.metric.replace(/_(bucket|sum|count)$/, '');
  const sum = ruleSelector(rule, [], `${base}_sum`);
  const count = ruleSelector(rule, [], `${base}_count`);
  const calls = recordName(rule, 'calls');
  const mean = recordName(rule, 'mean_seconds');
  const median = recordName(rule, 'mean_seconds_baseline_median');
  const mad = recordName(rule, 'mean_seconds_baseline_mad');
  const band = recordName(rule, 'mean_seconds_band');
  const reference = recordName(rule, 'mean_seconds_reference_median');
  const entry = recordName(rule, 'mean_seconds_entry');
  // The baseline ends where the window starts, so an incident never teaches itself as normal.
  const over = `${mean}[${b}] offset ${w}`;
  return {
    compiled: true,
    recording: [
      { record: calls, expr: sumBy(rule, `increase(${count}[${w}])`) },
      { record: mean, expr: `${sumBy(rule, `increase(${sum}[${w}])`)} / ${on(rule.by)} ${calls}` },
      { record: median, expr: `quantile_over_time(0.5, ${over})` },
      { record: mad, expr: `(quantile_over_time(0.75, ${over}) - quantile_over_time(0.25, ${over})) / 2` },
      // The long reference: the lowest trailing median of the past 7 days (the detector: the lowest
      // band of each of those days), so a creep over days is judged against last week.
      { record: reference, expr: `min_over_time(${median}[7d])` },
      { record: band, expr: `${reference} + ${on(rule.by)} (${mad} * ${rule.madFactor * 1.4826})` },
      // The entry level: the band, at least min_factor x the median (`a >= b or b`: an element-wise max).
      { record: entry, expr: `${band} >= ${on(rule.by)} (${reference} * ${rule.minFactor}) or ${on(rule.by)} (${reference} * ${rule.minFactor})` },
    ],
    condition:
      `(${mean} > ${on(rule.by)} ${entry}` +
      ` and ${on(rule.by)} ${mean} >= ${rule.minSeconds}` +
      ` and ${on(rule.by)} ${calls} >= ${rule.minCount}` +
      `${warmUpGuard(rule, `${base}_count`)})` +
      // Hysteresis: once firing, it holds while the mean is at or above exit_at of the way from the median to the entry level.
      ` or ${mean} >= ${on(rule.by)} (${reference} + ${rule.exitAt} * (${entry} - ${reference})) and ${on(rule.by)} ALERTS{alertname=${promString(rule.name)},alertstate="firing"}`,
    extraAlertLabels: [],
    signal: { value: mean, normal: band, unit: 's' },
    note: {
      subject: rule.name,
      fidelity: 'approximate',
      reason: `MAD of the ${w} mean latency is estimated as half its inter-quartile range over ${b} (quantile_over_time on a recording rule); equal for symmetric noise. The baseline is learned from the recording rule's own history, so it starts empty when the rules are first loaded. The long reference is min_over_time of the recorded trailing median over 7d (the detector: the lowest band of each of the past 7 days, learned only while no alert is active; here the median of an active alert's days counts too, which can only make it lower), with the current MAD. Hysteresis as in the detector: once firing (ALERTS{alertstate="firing"}) it holds while the mean is at or above exit_at of the way from the reference median to the entry level, then keep_firing_for; calls below min_count do not hold it (the detector holds)`,
    },
  };
}
