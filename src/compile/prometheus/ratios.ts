// Kinds that compare a share of calls now with its share over a trailing baseline: error_code_shift,
// error_rate, timeouts. As in the detector: a code never seen in the baseline has share 0 (so it is
// "new" and any factor holds), and the count must also be too large to be chance under Poisson.
import type { LabelMatcher } from '../../config/index.js';
import type { ErrorCodeShiftRule, ErrorRateRule, Rule, TimeoutsRule } from '../../rules/index.js';
import { promDuration } from '../promql.js';
import { on, recordName, ruleSelector, sumBy, warmUpGuard } from './common.js';
import { poissonSurplus } from './poisson.js';
import type { KindTranslation, RecordingRule } from './types.js';

/** The detector's fixed chance threshold for a surge: P(count or more | normal) <= 1e-4. */
const SURGE_P = 1e-4;

interface ShareParts {
  readonly rule: Rule;
  /** Labels of one share series: `by`, plus the code label for error_code_shift. */
  readonly keys: readonly string[];
  /** Expression of the counted calls (errors, code, timeouts) per `keys` over a range placeholder. */
  readonly part: (range: string) => string;
  /** Expression of all calls per `by` over a range placeholder. */
  readonly all: (range: string) => string;
  readonly names: { calls: string; part: string; share: string; baseline: string; expected: string };
}

/** calls, part, share = part / calls, baseline share over [b] offset w, expected = baseline x calls (0 when new). */
function shareRecordings({ rule, keys, part, all, names }: ShareParts, windowMs: number, baselineMs: number): RecordingRule[] {
  const w = promDuration(windowMs);
  const b = promDuration(baselineMs);
  const groupLeft = keys.length > rule.by.length ? ' group_left' : '';
  return [
    { record: names.calls, expr: all(`[${w}]`) },
    { record: names.part, expr: part(`[${w}]`) },
    { record: names.share, expr: `${names.part} / ${on(rule.by)}${groupLeft} ${names.calls}` },
    { record: names.baseline, expr: `${part(`[${b}] offset ${w}`)} / ${on(rule.by)}${groupLeft} ${all(`[${b}] offset ${w}`)}` },
    { record: names.expected, expr: `${names.baseline} * ${on(rule.by)}${groupLeft} ${names.calls} or ${on(keys)} ${names.part} * 0` },
  ];
}

/** share >= minShare, part >= minCount, share >= factor x baseline (or no baseline), and not chance. */
function shareCondition(p: ShareParts, minShare: number, minCount: number, factor: number): string {
  const { keys, names } = p;
  const surge = `(${names.share} >= ${on(keys)} (${names.baseline} * ${factor}) or ${names.share} unless ${on(keys)} ${names.baseline})`;
  return (
    `${names.share} >= ${minShare}` +
    ` and ${on(keys)} ${names.part} >= ${minCount}` +
    ` and ${on(keys)} ${surge}` +
    ` and ${on(keys)} ${poissonSurplus(names.part, names.expected, SURGE_P, on(keys))}`
  );
}

function namesFor(rule: Rule, part: string) {
  return {
    calls: recordName(rule, 'calls'),
    part: recordName(rule, part),
    share: recordName(rule, `${part}_share`),
    baseline: recordName(rule, `${part}_share_baseline`),
    expected: recordName(rule, `${part}_expected`),
  };
}

const notOutcome = (rule: ErrorCodeShiftRule | ErrorRateRule): LabelMatcher => ({ label: rule.outcomeLabel, op: '!=', value: rule.successValue });

export function errorCodeShift(rule: ErrorCodeShiftRule): KindTranslation {
  const keys = [...rule.by, rule.codeLabel];
  const withCode = ruleSelector(rule, [notOutcome(rule), { label: rule.codeLabel, op: '!=', value: '' }]);
  const withoutCode = ruleSelector(rule, [notOutcome(rule), { label: rule.codeLabel, op: '=', value: '' }]);
  // A failure without a code is counted under its outcome (e.g. "timeout"), as the detector does.
  const part = (range: string) =>
    sumBy(rule, `increase(${withCode}${range}) or label_replace(increase(${withoutCode}${range}), "${rule.codeLabel}", "$1", "${rule.outcomeLabel}", "(.+)")`, [rule.codeLabel]);
  const parts: ShareParts = { rule, keys, part, all: (range) => sumBy(rule, `increase(${ruleSelector(rule)}${range})`), names: namesFor(rule, 'code_calls') };
  return {
    compiled: true,
    recording: shareRecordings(parts, rule.windowMs, rule.baselineMs),
    condition: `${shareCondition(parts, rule.minShare, rule.minCount, rule.factor)}${warmUpGuard(rule)}`,
    extraAlertLabels: [rule.codeLabel],
    signal: { value: parts.names.share, normal: parts.names.baseline, unit: 'percentunit' },
    note: {
      subject: rule.name,
      fidelity: 'approximate',
      reason: `share of each ${rule.codeLabel} over ${promDuration(rule.windowMs)} against its share over the ${promDuration(rule.baselineMs)} before, as the detector computes it; the Poisson chance test (p <= 1e-4) uses the Wilson–Hilferty normal approximation`,
    },
  };
}

export function errorRate(rule: ErrorRateRule): KindTranslation {
  const errors = ruleSelector(rule, [notOutcome(rule)]);
  const parts: ShareParts = {
    rule,
    keys: rule.by,
    part: (range) => sumBy(rule, `increase(${errors}${range})`),
    all: (range) => sumBy(rule, `increase(${ruleSelector(rule)}${range})`),
    names: namesFor(rule, 'errors'),
  };
  return {
    compiled: true,
    recording: shareRecordings(parts, rule.windowMs, rule.baselineMs),
    condition: `${shareCondition(parts, rule.minRatio, rule.minErrors, rule.factor)} and ${on(rule.by)} ${parts.names.calls} >= ${rule.minCalls}${warmUpGuard(rule)}`,
    extraAlertLabels: [],
    signal: { value: parts.names.share, normal: parts.names.baseline, unit: 'percentunit' },
    note: {
      subject: rule.name,
      fidelity: 'approximate',
      reason: `error ratio over ${promDuration(rule.windowMs)} against the ratio over the ${promDuration(rule.baselineMs)} before; the Poisson chance test uses the Wilson–Hilferty approximation`,
    },
  };
}

/** The counter a timeouts rule reads: a histogram's `_count`, or the metric itself when it is a counter. */
export function timeoutCounter(metric: string): string {
  return /_(total|count)$/.test(metric) ? metric : `${metric}_count`;
}

export function timeouts(rule: TimeoutsRule): KindTranslation {
  const counter = timeoutCounter(rule.metric);
  const timedOut = ruleSelector(rule, [{ label: rule.timeoutLabel, op: '=', value: rule.timeoutValue }], counter);
  const parts: ShareParts = {
    rule,
    keys: rule.by,
    part: (range) => sumBy(rule, `increase(${timedOut}${range})`),
    all: (range) => sumBy(rule, `increase(${ruleSelector(rule, [], counter)}${range})`),
    names: namesFor(rule, 'timeouts'),
  };
  return {
    compiled: true,
    recording: shareRecordings(parts, rule.windowMs, rule.baselineMs),
    condition: `${shareCondition(parts, rule.minRatio, rule.minCount, rule.factor)}${warmUpGuard(rule, counter)}`,
    extraAlertLabels: [],
    signal: { value: parts.names.share, normal: parts.names.baseline, unit: 'percentunit' },
    note: {
      subject: rule.name,
      fidelity: 'approximate',
      reason: `timeout ratio over ${promDuration(rule.windowMs)} against the ratio over the ${promDuration(rule.baselineMs)} before; the Poisson chance test uses the Wilson–Hilferty approximation`,
    },
  };
}
