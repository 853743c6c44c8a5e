export type { Diagnostic, LoadResult, SourcePosition } from './types.js';
export { loadYamlFile, parseYamlText, formatDiagnostic } from './load.js';
export { durationMs, parseDuration, formatDuration, DURATION_FIX } from './duration.js';
export { selector, parseSelector, formatSelector, matchesLabels, SelectorError } from './selector.js';
export type { Selector, LabelMatcher, MatchOperator } from './selector.js';
export { closestWord } from './suggest.js';
