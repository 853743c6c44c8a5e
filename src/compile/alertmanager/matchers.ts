// Policy matchers to Alertmanager matcher strings; the same syntax as PromQL, so this is only formatting.
import { matcherText, type LabelMatcher } from '../../model/index.js';

export function matchersText(matchers: readonly LabelMatcher[]): string[] {
  return matchers.map(matcherText);
}
