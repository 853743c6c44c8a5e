// Alertmanager matcher strings (`partner="elation"`, `zone=~"a|b"`), parsed with the same code as our
// PromQL selectors so quoting rules are identical everywhere. Regexes are RE2 (re2js), as Alertmanager's:
// matching takes linear time whatever the pattern, so a silence such as `((\w+)+)+\d` cannot pin a core.
// This is deliberately not config/regex.ts: Alertmanager anchors a matcher as `^(?:…)$`, so `.` does not
// match a newline in a route or silence, where Prometheus' selectors use `^(?s:…)$`; and a stored silence
// whose pattern RE2 refuses must still load (it matches nothing), where a rule file's must fail to load.
import { RE2JS } from 're2js';
import { parseSelector, SelectorError, type LabelMatcher } from '../config/selector.js';
import { labelsMatch, matcherText, type Labels } from '../model/index.js';

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
  const matcher = matchers[0]!;
  if (matcher.op === '=~' || matcher.op === '!~') {
    try {
      RE2JS.compile(matcher.value);
    } catch (error) {
      throw new MatcherError(`bad regular expression for ${matcher.label}: ${(error as Error).message}`, 'use RE2 syntax (no backreferences or lookarounds), anchored at both ends');
    }
  }
  return matcher;
}

/** Accepts parsed matchers or matcher strings (the silences API takes either). */
export function toMatchers(input: readonly LabelMatcher[] | readonly string[]): LabelMatcher[] {
  return input.map((m) => (typeof m === 'string' ? parseMatcher(m) : m));
}

/** Alertmanager's semantics: a missing label is "", regexes match the whole value. */
export function matches(matchers: readonly LabelMatcher[], labels: Labels): boolean {
  return labelsMatch(matchers, labels, fullMatch);
}

const compiled = new Map<string, RE2JS | null>();

/** A pattern RE2 refuses (a silence saved before this check) matches nothing. */
function fullMatch(pattern: string, value: string): boolean {
  let re = compiled.get(pattern);
  if (re === undefined) {
    try {
      re = RE2JS.compile(pattern);
    } catch {
      re = null;
    }
    if (compiled.size > 1_000) compiled.clear();
    compiled.set(pattern, re);
  }
  return re !== null && re.matches(value);
}

/** Alertmanager's own spelling of a matcher, as amtool prints it. */
export function formatMatcher(m: LabelMatcher): string {
  return matcherText(m);
}
