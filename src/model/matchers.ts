// Label matchers (`partner="elation"`, `zone=~"a|b"`): one shape and one spelling for the selectors of
// rule files, the PromQL the compiler writes and the matchers of Alertmanager routes and silences.
import { escapeLabelValue } from './labels.js';

export type MatchOperator = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  readonly label: string;
  readonly op: MatchOperator;
  readonly value: string;
}

/** `label op "value"`, the value escaped as PromQL and Alertmanager both read it (backslash, quote, newline). */
export function matcherText(m: LabelMatcher): string {
  return `${m.label}${m.op}"${escapeLabelValue(m.value)}"`;
}
