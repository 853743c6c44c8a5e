// A rule's `select:` is one series selector, but people paste PromQL there (`rate(x[5m])`,
// `sum by (partner) (x)`). Say what select takes and which rule field does the rest, instead of the
// parser's "expected a label name" at some brace.
import type { SyntaxNode } from '@lezer/common';
import { SelectorError } from './selector-types.js';

const RATE_FUNCTIONS = new Set(['rate', 'irate', 'increase', 'delta', 'idelta', 'deriv']);

export function explainExpression(source: string, top: SyntaxNode, noMetric: () => SelectorError): never {
  const inner = firstVectorSelector(top);
  if (!inner) throw noMetric();
  const selector = source.slice(inner.from, inner.to);
  const quoted = JSON.stringify(source);
  const fix = `write select: ${selector}`;
  if (top.name === 'MatrixSelector') {
    throw new SelectorError(`bad selector ${quoted}: select takes a series selector without a range [..]; the rule's window field says how far back it looks`, `${fix} and set window`);
  }
  if (top.name === 'FunctionCall') {
    const fn = source.slice(top.from, top.getChild('FunctionIdentifier')?.to ?? top.from);
    const what = RATE_FUNCTIONS.has(fn)
      ? `rates are computed by the rule's kind (a threshold rule on a counter: set rate_window: 5m)`
      : `the rule's kind decides what is computed from the series`;
    throw new SelectorError(`bad selector ${quoted}: select takes a metric selector, not a PromQL expression: ${fn}(…) is not needed, ${what}`, fix);
  }
  if (top.name === 'AggregateExpr') {
    throw new SelectorError(`bad selector ${quoted}: select takes a metric selector, not a PromQL expression; series are summed per the labels in the rule's by: field`, `${fix} and by: [partner]`);
  }
  throw new SelectorError(`bad selector ${quoted}: select takes one metric selector such as metric_name{label="value"}, not a PromQL expression`, fix);
}

function firstVectorSelector(node: SyntaxNode): SyntaxNode | undefined {
  if (node.name === 'VectorSelector') return node;
  for (let child = node.firstChild; child; child = child.nextSibling) {
    const found = firstVectorSelector(child);
    if (found) return found;
  }
  return undefined;
}
