// Series selectors in PromQL's own syntax (`integration_requests_total{outcome!="success"}`), so a
// Prometheus user reads our rules without a manual and the compiler emits them unchanged. Parsed by
// @prometheus-io/lezer-promql, the grammar Prometheus' own UI uses, so what parses here parses there.
import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';
import { z } from 'zod';
import { fullMatch, re2 } from './regex.js';
import { explainExpression } from './selector-explain.js';
import { unquote } from './promql-string.js';
import { labelsMatch, matcherText as formatMatcher } from '../model/index.js';
import { SelectorError, type LabelMatcher, type MatchOperator, type Selector } from './selector-types.js';

export type { LabelMatcher, MatchOperator, Selector } from './selector-types.js';
export { SelectorError };

const OPERATORS: Record<string, MatchOperator> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };

export function parseSelector(text: string): Selector {
  const source = text.trim();
  const top = parser.parse(source).topNode.firstChild;
  const noMetric = (): SelectorError => new SelectorError(`bad selector ${JSON.stringify(text)}: it must start with a metric name`, 'write it as metric_name{label="value"}');
  if (!top || top.type.isError || source === '') throw noMetric();
  if (top.name !== 'VectorSelector') explainExpression(source, top, noMetric);
  const name = top.getChild('Identifier');
  const braces = top.getChild('LabelMatchers');
  // PromQL's name-less form, `{__name__=~"ec2_.*"}`: the name is a matcher like any label.
  if (!name && !braces) throw noMetric();
  const metric = name ? source.slice(name.from, name.to) : '';
  const matchers: LabelMatcher[] = [];
  if (braces) {
    for (let node = braces.firstChild; node; node = node.nextSibling) {
      if (node.type.isError && node.from >= source.length) throw new SelectorError(`bad selector ${JSON.stringify(text)}: the braces are not closed`, 'end the matchers with }');
      if (node.type.isError && node.from === node.to) throw new SelectorError(`bad selector ${JSON.stringify(text)}: expected "," between matchers`, 'separate matchers with commas');
      if (node.type.isError) throw misplaced(source, node, metric);
      matchers.push(readMatcher(source, node, text));
    }
    if (!source.endsWith('}', braces.to) || braces.lastChild?.type.isError) {
      throw new SelectorError(`bad selector ${JSON.stringify(text)}: the braces are not closed`, 'end the matchers with }');
    }
  }
  const end = braces?.to ?? name!.to;
  if (end !== source.length || top.to !== source.length || hasError(top)) {
    throw new SelectorError(`bad selector ${JSON.stringify(text)}: unexpected ${JSON.stringify(source.slice(end).trim() || source.slice(name?.to ?? end))} after the selector`, `write it as ${metric || 'metric_name'}{label="value"}`);
  }
  return name ? { metric, matchers } : nameless(matchers, noMetric);
}

/** `{__name__="x", ...}` is `x{...}`; with `=~`, `!=` or `!~` on `__name__` the metric is left empty and
 *  the name matchers stay among the matchers (only rules that allow it, the anomaly kind, accept that). */
function nameless(matchers: readonly LabelMatcher[], noMetric: () => SelectorError): Selector {
  const names = matchers.filter((m) => m.label === '__name__');
  if (names.length === 0) throw noMetric();
  const exact = names.find((m) => m.op === '=');
  if (exact) return { metric: exact.value, matchers: matchers.filter((m) => m !== exact) };
  return { metric: '', matchers };
}

/** One `label op "value"` inside the braces; the errors name the matcher as written. */
function readMatcher(source: string, node: SyntaxNode, whole: string): LabelMatcher {
  const written = writtenMatcher(source, node);
  const labelNode = node.getChild('LabelName') ?? node.getChild('QuotedLabelName');
  if (!labelNode) throw new SelectorError(`bad matcher at "${written}" in ${JSON.stringify(whole)}: expected a label name`, 'label names are letters, digits and _');
  if (labelNode.name === 'QuotedLabelName') {
    // Prometheus 3's UTF-8 label names; promtool 2.x (and the Prometheus we compile for) refuse them.
    const name = source.slice(labelNode.from + 1, labelNode.to - 1);
    throw new SelectorError(`bad matcher "${written}": a label name is not quoted`, /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) ? `write ${name} without quotes` : 'label names are letters, digits and _');
  }
  const label = source.slice(labelNode.from, labelNode.to);
  const opNode = node.getChild('MatchOp')?.firstChild;
  const op = opNode ? OPERATORS[opNode.name] : undefined;
  if (!op) throw new SelectorError(`bad matcher "${written}": expected =, !=, =~ or !~ after ${label}`, `write ${label}="value"`);
  const valueNode = [...node.getChildren('StringLiteral')].at(-1);
  const broken = hasError(node);
  if (!valueNode || valueNode === labelNode.firstChild || !isClosedString(source, valueNode)) {
    if (valueNode && !isClosedString(source, valueNode)) {
      const quote = source[valueNode.from]!;
      throw new SelectorError(`bad selector ${JSON.stringify(whole)}: a quoted value is not closed`, `close it with ${quote}`);
    }
    const bare = written.slice(label.length + op.length);
    throw new SelectorError(`bad matcher "${written}": the value must be quoted`, `write ${label}${op}"${bare.split(/[,}]/)[0]}"`);
  }
  if (broken) throw new SelectorError(`bad matcher "${written}": expected =, !=, =~ or !~ after ${label}`, `write ${label}="value"`);
  let value: string;
  try {
    value = unquote(source.slice(valueNode.from, valueNode.to));
  } catch (error) {
    throw new SelectorError(`bad matcher "${written}": ${(error as Error).message}`, 'escape only \\\\, \\", \\n, \\t and the like, or use a `raw string`');
  }
  if (op === '=~' || op === '!~') {
    try {
      re2(value);
    } catch (error) {
      throw new SelectorError(`bad regular expression for ${label}: ${(error as Error).message}`, 'Prometheus uses RE2 syntax (no lookahead, lookbehind or backreferences), anchored at both ends');
    }
  }
  return { label, op, value };
}

/** The matcher as the user wrote it, up to the next comma or brace (the parser may stop early on an error). */
function writtenMatcher(source: string, node: SyntaxNode): string {
  let end = node.to;
  for (let next = node.nextSibling; next && next.type.isError; next = next.nextSibling) end = next.to;
  for (let sib = node.nextSibling; sib && !sib.type.isError && sib.from === end && sib.name === 'Identifier'; sib = sib.nextSibling) end = sib.to;
  const rest = source.slice(end).match(/^[^,}]*/)?.[0] ?? '';
  return (source.slice(node.from, end) + rest).trim();
}

function misplaced(source: string, node: SyntaxNode, metric: string): SelectorError {
  const at = source.slice(node.from).match(/^[^,}]*/)?.[0] || source.slice(node.from);
  return new SelectorError(`bad matcher at "${at}" in ${JSON.stringify(source)}: expected a label name`, `label names are letters, digits and _; separate matchers with commas: ${metric}{a="1",b="2"}`);
}

function isClosedString(source: string, node: SyntaxNode): boolean {
  const text = source.slice(node.from, node.to);
  return text.length >= 2 && text[text.length - 1] === text[0];
}

function hasError(node: SyntaxNode): boolean {
  const cursor = node.cursor();
  do if (cursor.type.isError) return true;
  while (cursor.next() && cursor.from < node.to);
  return false;
}

/** True when a label set satisfies every matcher (PromQL semantics: a missing label is ""). */
export function matchesLabels(matchers: readonly LabelMatcher[], labels: Readonly<Record<string, string>>): boolean {
  return labelsMatch(matchers, labels, fullMatch);
}

export function formatSelector(selector: Selector): string {
  if (selector.matchers.length === 0) return selector.metric;
  // A name-less selector keeps its __name__ matchers among the others: `{__name__=~"x.*"}`.
  const inner = selector.matchers.map(formatMatcher).join(',');
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
