// Policy matchers to Alertmanager matcher strings; the same syntax, so this is only formatting.
import type { LabelMatcher } from '../../policy/types.js';

export function matcherText(m: LabelMatcher): string {
  return `${m.label}${m.op}${JSON.stringify(m.value)}`;
}

export function matchersText(matchers: readonly LabelMatcher[]): string[] {
  return matchers.map(matcherText);
}
