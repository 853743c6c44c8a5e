import { z } from 'zod';
import { matcherText, type LabelMatcher, type MatchOperator } from '../model/index.js';

// Series selectors in PromQL's own syntax (`integration_requests_total{outcome!="success"}`), so a
// Prometheus user reads our rules without a manual and the compiler emits them unchanged.

export type { LabelMatcher, MatchOperator };

export interface Selector {
  readonly metric: string;
  readonly matchers: readonly LabelMatcher[];
}

export class SelectorError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const OPERATOR = /^(=~|!~|!=|=)/;

export function parseSelector(text: string): Selector {
  let rest = text.trim();
  const metric = METRIC_NAME.exec(rest)?.[0];
  if (!metric) {
    throw new SelectorError(`bad selector ${JSON.stringify(text)}: it must start with a metric name`, 'write it as metric_name{label="value"}');
  }
  rest = rest.slice(metric.length).trim();
  const matchers: LabelMatcher[] = [];
  if (rest === '') return { metric, matchers };
  if (!rest.startsWith('{') || !rest.endsWith('}')) {
    throw new SelectorError(`bad selector ${JSON.stringify(text)}: matchers go in braces after the metric name`, `write ${metric}{label="value"}`);
  }
  rest = rest.slice(1, -1).trim();
  while (rest !== '') {
    const label = LABEL_NAME.exec(rest)?.[0];
    if (!label) throw new SelectorError(`bad matcher at "${rest}" in ${JSON.stringify(text)}: expected a label name`, 'label names are letters, digits and _');
    rest = rest.slice(label.length).trim();
    const op = OPERATOR.exec(rest)?.[0] as MatchOperator | undefined;
    if (!op) throw new SelectorError(`bad matcher "${label}${rest}": expected =, !=, =~ or !~ after ${label}`, `write ${label}="value"`);
    rest = rest.slice(op.length).trim();
    const quote = rest[0];
    if (quote !== '"' && quote !== "'") {
      throw new SelectorError(`bad matcher "${label}${op}${rest}": the value must be quoted`, `write ${label}${op}"${rest.split(/[,}]/)[0]}"`);
    }
    const { value, length } = readQuoted(rest, quote, text);
    rest = rest.slice(length).trim();
    if (op === '=~' || op === '!~') checkRegex(label, value);
    matchers.push({ label, op, value });
    if (rest.startsWith(',')) rest = rest.slice(1).trim();
    else if (rest !== '') throw new SelectorError(`bad selector ${JSON.stringify(text)}: expected "," between matchers`, 'separate matchers with commas');
  }
  return { metric, matchers };
}

function readQuoted(rest: string, quote: string, whole: string): { value: string; length: number } {
  let value = '';
  for (let i = 1; i < rest.length; i++) {
    const ch = rest[i]!;
    if (ch === '\\' && i + 1 < rest.length) {
      const next = rest[++i]!;
      value += next === 'n' ? '\n' : next;
    } else if (ch === quote) {
      return { value, length: i + 1 };
    } else {
      value += ch;
    }
  }
  throw new SelectorError(`bad selector ${JSON.stringify(whole)}: a quoted value is not closed`, `close it with ${quote}`);
}

function checkRegex(label: string, pattern: string): void {
  try {
    new RegExp(`^(?:${pattern})$`);
  } catch (error) {
    throw new SelectorError(`bad regular expression for ${label}: ${(error as Error).message}`, 'fix the pattern (RE2 syntax, anchored at both ends)');
  }
}

/** True when a label set satisfies every matcher (PromQL semantics: a missing label is ""). */
export function matchesLabels(matchers: readonly LabelMatcher[], labels: Readonly<Record<string, string>>): boolean {
  for (const m of matchers) {
    const actual = labels[m.label] ?? '';
    switch (m.op) {
      case '=': if (actual !== m.value) return false; break;
      case '!=': if (actual === m.value) return false; break;
      case '=~': if (!anchored(m.value).test(actual)) return false; break;
      case '!~': if (anchored(m.value).test(actual)) return false; break;
    }
  }
  return true;
}

const compiled = new Map<string, RegExp>();
function anchored(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`);
    compiled.set(pattern, re);
  }
  return re;
}

export function formatSelector(selector: Selector): string {
  if (selector.matchers.length === 0) return selector.metric;
  const inner = selector.matchers.map(matcherText).join(',');
  return `${selector.metric}{${inner}}`;
}

/** Zod schema: selector text in, a parsed Selector out. */
export const selector = z.string().transform((text, ctx) => {
  try {
    return parseSelector(text);
  } catch (error) {
    if (!(error instanceof SelectorError)) throw error;
    ctx.issues.push({ code: 'custom', input: text, message: error.message, params: { fix: error.fix } });
    return z.NEVER;
  }
});
