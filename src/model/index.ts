// The shared words at the bottom of the house: every other folder may import these, and this folder
// imports nothing of ours.
export type { Labels } from './labels.js';
export { escapeLabelValue, canonicalSeries, sortedLabelPairs, seriesId, formatLabelSet } from './labels.js';
export type { Sample, SampleBatch } from './samples.js';
export type { Severity, AlertLifecycleState, TransitionState, AlertEvent, AlertExplain } from './alerts.js';
export { METRIC, countSeriesName, sumSeriesName } from './metrics.js';
export { labelsMatch, matcherText } from './matchers.js';
export type { LabelMatcher, MatchOperator } from './matchers.js';
export { poissonCdf, poissonSurvival, robustBand } from './stats.js';
export type { Band } from './stats.js';
