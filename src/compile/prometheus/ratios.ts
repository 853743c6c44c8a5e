// Kinds that compare a share of calls now with its share over a trailing baseline: error_code_shift,
// error_rate, timeouts. As in the detector (src/detect/kinds/share.ts): the normal share carries a
// half-count prior ((count + 0.5) / (total + 1), so a never-seen code is rare, not impossible), the
// count must be improbable under it (Poisson, the rule's p_value), and while the alert is pending or
// firing the baseline stays frozen where it was when the surge began, so hours of failures never
// become the normal they are judged against. The freeze reads the rule's own ALERTS series.
import type { LabelMatcher } from '../../config/index.js';
import type { ErrorCodeShiftRule, ErrorRateRule, Rule, TimeoutsRule } from '../../rules/index.js';
import { countSeriesName, sumSeriesName } from '../../model/index.js';
import { promDuration, promString } from '../promql.js';
import { on, recordName, ruleSelector, sumBy, warmUpGuard } from './common.js';
import { poissonSurplus } from './poisson.js';
import type { KindTranslation, RecordingRule } from './types.js';

interface ShareParts {
  readonly rule: Rule;
  /** Labels of one share series: `by`, plus the code label for error_code_shift. */
  readonly keys: readonly string[];
  /** Expression of the counted calls (errors, code, timeouts) per `keys` over a range placeholder. */
  readonly part: (range: string) => string;
  /** Expression of all calls per `by` over a range placeholder. */
  readonly all: (range: string) => string;
  readonly names: { calls: string; part: string; share: string; learned: string; learnedLong: string; baseline: string; expected: string; improbable: string };
}

/**
 * calls and part over the window; share = part / calls; learned = the prior-smoothed share over the
 * baseline before the window, or over the long reference (two baselines) when that is lower (the
 * detector's healthier of the two); baseline = learned, frozen while the rule's alert is active;
 * expected = baseline x calls (the Poisson mean of part).
 */
function shareRecordings({ rule, keys, part, all, names }: ShareParts, windowMs: number, baselineMs: number, pValue: number): RecordingRule[] {
  const w = promDuration(windowMs);
  const b = promDuration(baselineMs);
  const groupLeft = keys.length > rule.by.length ? ' group_left()' : '';
  const active = `ALERTS{alertname=${promString(rule.name)}}`;
  const learned = (past: string): string =>
    `((${part(past)} or ${on(keys)} ${names.part} * 0) + 0.5) / ${on(rule.by)}${groupLeft} ((${all(past)} or ${on(rule.by)} ${names.calls} * 0) + 1)`;
  return [
    { record: names.calls, expr: all(`[${w}]`) },
    { record: names.part, expr: part(`[${w}]`) },
    { record: names.share, expr: `${names.part} / ${on(rule.by)}${groupLeft} ${names.calls}` },
    { record: names.learnedLong, expr: learned(`[${promDuration(2 * baselineMs)}] offset ${w}`) },
    // The lower of the two (`a <= b or b`: PromQL has no element-wise min).
    { record: names.learned, expr: `(${learned(`[${b}] offset ${w}`)}) <= ${on(keys)} ${names.learnedLong} or ${on(keys)} ${names.learnedLong}` },
    { record: names.baseline, expr: `${names.learned} unless ${on(keys)} ${active} or ${on(keys)} last_over_time(${names.baseline}[${b}])` },
    { record: names.expected, expr: `${names.baseline} * ${on(rule.by)}${groupLeft} ${names.calls}` },
    // The part's count, kept only where that many is improbable under the baseline (Poisson tail <= p_value).
    { record: names.improbable, expr: poissonSurplus(names.part, names.expected, pValue, on(keys)) },
  ];
}

/** total >= minCount (error_code_shift), share >= minShare, part >= minCount, factor x baseline, and not chance. */
function shareCondition(p: ShareParts, minShare: number, minCount: number, factor: number): string {
  const { keys, names } = p;
  return (
    `${names.share} >= ${minShare}` +
    ` and ${on(keys)} ${names.part} >= ${minCount}` +
    ` and ${on(keys)} ${names.share} >= ${on(keys)} (${names.baseline} * ${factor})` +
    ` and ${on(keys)} ${names.improbable}`
  );
}

/**
 * Hysteresis: once firing (the rule's own ALERTS series), the alert holds while the share is at or
 * above the exit level, exit_at of the way from the baseline to the entry level (the larger of
 * `minShare` and factor x baseline), as the detector's exit does.
 */
function exitCondition(p: ShareParts, minShare: number, factor: number, exitAt: number): string {
  const { keys, names } = p;
  const level = `clamp_min(${names.baseline} * ${factor}, ${minShare})`;
  const firing = `ALERTS{alertname=${promString(p.rule.name)},alertstate="firing"}`;
  return `${names.share} >= ${on(keys)} (${names.baseline} + ${exitAt} * (${level} - ${names.baseline})) and ${on(keys)} ${firing}`;
}

function namesFor(rule: Rule, part: string) {
  return {
    calls: recordName(rule, 'calls'),
    part: recordName(rule, part),
    share: recordName(rule, `${part}_share`),
    learned: recordName(rule, `${part}_share_learned`),
    learnedLong: recordName(rule, `${part}_share_learned_long`),
    baseline: recordName(rule, `${part}_share_baseline`),
    expected: recordName(rule, `${part}_expected`),
    improbable: recordName(rule, `${part}_improbable`),
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
    recording: shareRecordings(parts, rule.windowMs, rule.baselineMs, rule.pValue),
    condition: `(${shareCondition(parts, rule.minShare, rule.minCount, rule.factor)} and ${on(rule.by)} ${parts.names.calls} >= ${rule.minCount}${warmUpGuard(rule)}) or ${exitCondition(parts, rule.minShare, rule.factor, rule.exitAt)}`,
    extraAlertLabels: [rule.codeLabel],
    signal: { value: parts.names.share, normal: parts.names.baseline, unit: 'percentunit' },
    note: {
      subject: rule.name,
      fidelity: 'approximate',
      reason: `share of each ${rule.codeLabel} over ${promDuration(rule.windowMs)} against its share over the ${promDuration(rule.baselineMs)} before, as the detector computes it; the Poisson chance test (p <= ${rule.pValue}) is the exact sum for small counts and Wilson–Hilferty above (the same decision away from the edge of p); counts come from increase(), which extrapolates to the window edges${notCompiled('min_share', rule.sustainMs)}`,
    },
  };
}

/** What the detector does that these rules do not, and how they approximate the rest (stated per rule). */
function notCompiled(level: string, sustainMs: number): string {
  return `; hysteresis as in the detector: once firing (ALERTS{alertstate="firing"}) the alert holds while the share is at or above exit_at of the way from the baseline to the entry level, then keep_firing_for, but the exit is judged over the whole window (the detector: its last 5-15 minutes, with a Poisson test at the share since it fired); the long reference is the share over two baselines before the window when lower, as in the detector; not compiled: the entry below ${level} once above normal for ${promDuration(sustainMs)}, the window widened to 2-3x at low rate, and the baseline kept frozen 2h after the part was above normal: this rule enters at ${level} only`;
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
    recording: shareRecordings(parts, rule.windowMs, rule.baselineMs, rule.pValue),
    condition: `(${shareCondition(parts, rule.minRatio, rule.minErrors, rule.factor)} and ${on(rule.by)} ${parts.names.calls} >= ${rule.minCalls}${warmUpGuard(rule)}) or ${exitCondition(parts, rule.minRatio, rule.factor, rule.exitAt)}`,
    extraAlertLabels: [],
    signal: { value: parts.names.share, normal: parts.names.baseline, unit: 'percentunit' },
    note: {
      subject: rule.name,
      fidelity: 'approximate',
      reason: `error ratio over ${promDuration(rule.windowMs)} against the ratio over the ${promDuration(rule.baselineMs)} before; the Poisson chance test (p <= ${rule.pValue}) is the exact sum for small counts and Wilson–Hilferty above (the same decision away from the edge of p); counts come from increase(), which extrapolates to the window edges${notCompiled('min_ratio', rule.sustainMs)}`,
    },
  };
}

/** The detector's "never timed out in a day of calls": at least this many calls in the baseline. */
const NEW_AFTER_CALLS = 50;

export function timeouts(rule: TimeoutsRule): KindTranslation {
  const counter = countSeriesName(rule.metric);
  const timedOut = ruleSelector(rule, [{ label: rule.timeoutLabel, op: '=', value: rule.timeoutValue }], counter);
  const w = promDuration(rule.windowMs);
  const b = promDuration(rule.baselineMs);
  const by = on(rule.by);
  const parts: ShareParts = {
    rule,
    keys: rule.by,
    part: (range) => sumBy(rule, `increase(${timedOut}${range})`),
    all: (range) => sumBy(rule, `increase(${ruleSelector(rule, [], counter)}${range})`),
    names: namesFor(rule, 'timeouts'),
  };
  const { names } = parts;
  // An operation that never timed out over a baseline of at least 50 calls is "new" to timing out:
  // min_count_new timeouts and min_ratio suffice, no Poisson test. 1 or 0, frozen like the baseline.
  const isNew = recordName(rule, 'new_to_timeouts');
  const past = `[${b}] offset ${w}`;
  const newNow =
    `((${parts.part(past)} or ${by} ${names.part} * 0) == bool 0)` +
    ` * ${by} ((${parts.all(past)} or ${by} ${names.calls} * 0) >= bool ${NEW_AFTER_CALLS})`;
  const active = `ALERTS{alertname=${promString(rule.name)}}`;
  // Near its timeout (the detector's near_timeout): the mean duration of the calls that did not time
  // out over that of the timed-out ones, from the histogram's _sum beside its _count.
  const sum = rule.nearTimeout > 0 ? sumSeriesName(rule.metric) : undefined;
  const near = recordName(rule, 'near_timeout');
  const meanOf = (op: '=' | '!='): string => {
    const m = [{ label: rule.timeoutLabel, op, value: rule.timeoutValue }] as const;
    return `${sumBy(rule, `increase(${ruleSelector(rule, [...m], sum)}[${w}])`)} / ${by} ${sumBy(rule, `increase(${ruleSelector(rule, [...m], counter)}[${w}])`)}`;
  };
  const nearRecording = sum === undefined ? [] : [{ record: near, expr: `(${meanOf('!=')}) / ${by} (${meanOf('=')})` }];
  const nearEntry = sum === undefined ? '' :
    ` or ${by} (${names.share} >= ${rule.floorShare} and ${by} ${names.part} >= ${rule.minCountNew} and ${by} ${near} >= ${rule.nearTimeout} and ${by} ${names.share} >= ${by} (${names.baseline} * ${rule.factor}))`;
  const surgingOld =
    `${names.part} >= ${rule.minCount}` +
    ` and ${by} ${names.share} >= ${by} (${names.baseline} * ${rule.factor})` +
    ` and ${by} ${names.improbable}`;
  return {
    compiled: true,
    recording: [
      ...shareRecordings(parts, rule.windowMs, rule.baselineMs, rule.pValue),
      { record: isNew, expr: `(${newNow}) unless ${by} ${active} or ${by} last_over_time(${isNew}[${b}])` },
      ...nearRecording,
    ],
    condition:
      `((${names.share} >= ${rule.minRatio}` +
      ` and ${by} ((${isNew} == 1 and ${by} ${names.part} >= ${rule.minCountNew}) or (${isNew} == 0 and ${by} ${surgingOld}))${nearEntry})` +
      `${warmUpGuard(rule, counter)}) or ${exitCondition(parts, rule.minRatio, rule.factor, rule.exitAt)}`,
    extraAlertLabels: [],
    signal: { value: names.share, normal: names.baseline, unit: 'percentunit' },
    note: {
      subject: rule.name,
      fidelity: 'approximate',
      reason: `timeout ratio over ${w} against the ratio over the ${b} before (an operation with no timeout in ${NEW_AFTER_CALLS}+ baseline calls pages on min_count_new); the Poisson chance test (p <= ${rule.pValue}) is the exact sum for small counts and Wilson–Hilferty above (the same decision away from the edge of p); counts come from increase(), which extrapolates to the window edges${sum === undefined ? '' : `; near_timeout pages from floor_ratio where the mean duration of calls that did not time out is at least ${rule.nearTimeout} of the timed-out calls' (the detector's p <= 0.01 guard is approximated by factor x baseline, and its "fast again" exit is not compiled)`}${notCompiled('min_ratio', rule.sustainMs)}`,
    },
  };
}
