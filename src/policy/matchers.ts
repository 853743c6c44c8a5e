// Alertmanager matcher strings (`partner="elation"`, `zone=~"a|b"`), parsed with the same code as our
// PromQL selectors so quoting and regex rules are identical everywhere.
import { matchesLabels, parseSelector, SelectorError, type LabelMatcher } from '../config/selector.js';
import type { Labels } from '../model/index.js';

export class MatcherError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

/** One matcher, e.g. `partner="elation"`. Alertmanager also accepts an unquoted value (`partner=elation`). */
export function parseMatcher(text: string): LabelMatcher {
  const trimmed = text.trim();
  const unquoted = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*([^"'\s,{}~=!][^,{}]*)$/.exec(trimmed);
  const source = unquoted ? `${unquoted[1]}${unquoted[2]}${JSON.stringify(unquoted[3]!.trim())}` : trimmed;
  let matchers: readonly LabelMatcher[];
  try {
    matchers = parseSelector(`m{${source}}`).matchers;
  } catch (error) {
    if (error instanceof SelectorError) {
      throw new MatcherError(error.message.replace(/ in "m\{.*\}"$/, '').replace(/"m\{(.*)\}"/, '"$1"'), error.fix);
    }
    throw error;
  }
  if (matchers.length !== 1) {
    throw new MatcherError(`bad matcher ${JSON.stringify(text)}: write one matcher per list item`, 'split it into several list items, e.g. - partner="elation"');
  }
  return matchers[0]!;
}

/** Accepts parsed matchers or matcher strings (the silences API takes either). */
export function toMatchers(input: readonly LabelMatcher[] | readonly string[]): LabelMatcher[] {
  return input.map((m) => (typeof m === 'string' ? parseMatcher(m) : m));
}

export function matches(matchers: readonly LabelMatcher[], labels: Labels): boolean {
  return matchesLabels(matchers, labels);
}

export function formatMatcher(m: LabelMatcher): string {
  return `${m.label}${m.op}${JSON.stringify(m.value)}`;
}
