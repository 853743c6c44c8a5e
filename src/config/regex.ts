// Label-matcher regexes as Prometheus runs them: RE2 syntax (no lookaround, no backreferences), fully
// anchored, `.` matching newlines too (`^(?s:…)$`, as labels.NewFastRegexMatcher). JavaScript's RegExp
// accepts patterns Prometheus rejects and matches some differently, so every matcher goes through re2js.
import { RE2JS } from 're2js';

const compiled = new Map<string, RE2JS>();

/** The anchored RE2 program for a matcher value; throws with RE2's reason when Prometheus would refuse it. */
export function re2(pattern: string): RE2JS {
  let re = compiled.get(pattern);
  if (!re) {
    try {
      re = RE2JS.compile(`^(?s:${pattern})$`);
    } catch (error) {
      // RE2's message quotes the anchored text; the user wrote only the pattern.
      const reason = (error as Error).message.replace(/^error parsing regexp: /, '').replace(/: `\^\(\?s:.*`$/s, '');
      throw new Error(`${reason} in ${JSON.stringify(pattern)}`);
    }
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(pattern, re);
  }
  return re;
}

/** Full match, as `=~` means in PromQL. */
export function fullMatch(pattern: string, value: string): boolean {
  return re2(pattern).matches(value);
}
