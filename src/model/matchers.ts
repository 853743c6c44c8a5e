// Label matchers (`partner="elation"`, `zone=~"a|b"`): one shape and one spelling for the selectors of
// rule files, the PromQL the compiler writes and the matchers of Alertmanager routes and silences.
import { escapeLabelValue } from './labels.js';

export type MatchOperator = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  readonly label: string;
  readonly op: MatchOperator;
  readonly value: string;
}

/** Whether a label set satisfies every matcher; a missing label reads as "" (PromQL and Alertmanager
 *  agree on that). How a regex matches is the caller's: the two anchor it differently. */
export function labelsMatch(
  matchers: readonly LabelMatcher[],
  labels: Readonly<Record<string, string>>,
  regexMatches: (pattern: string, value: string) => boolean,
): boolean {
  for (const m of matchers) {
    const actual = labels[m.label] ?? '';
    switch (m.op) {
      case '=': if (actual !== m.value) return false; break;
      case '!=': if (actual === m.value) return false; break;
      case '=~': if (!regexMatches(m.value, actual)) return false; break;
      case '!~': if (regexMatches(m.value, actual)) return false; break;
    }
  }
  return true;
}

/** `label op "value"`, the value escaped as PromQL and Alertmanager both read it (backslash, quote, newline). */
export function matcherText(m: LabelMatcher): string {
  return `${m.label}${m.op}"${escapeLabelValue(m.value)}"`;
}
