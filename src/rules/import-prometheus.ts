// `sentinel import prometheus FILE`: the alerts of a Prometheus rule file that are plain thresholds
// (`sum by (l) (rate(x[5m])) > 3`, `x < 1`) as sentinel `threshold` rules; every alert it cannot carry
// over exactly is listed with the reason, never silently changed.
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { parse, stringify } from 'yaml';
import { parseDuration, parseSelector } from '../config/index.js';

interface PromAlert {
  alert?: string;
  record?: string;
  expr?: string | number;
  for?: string;
  keep_firing_for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface ImportResult {
  /** A rule file (`rules:` of threshold rules), ready for `sentinel check`. */
  readonly yaml: string;
  readonly imported: number;
  /** `AlertName: why it was not imported`. */
  readonly skipped: readonly string[];
}

const OPS: Record<string, string> = { Gtr: '>', Gte: '>=', Lss: '<', Lte: '<=' };
const RULE_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export function importPrometheusRules(text: string): ImportResult {
  const doc = parse(text) as { groups?: { name?: string; rules?: PromAlert[] }[] } | null;
  if (!doc || !Array.isArray(doc.groups)) throw new Error('not a Prometheus rule file: it has no groups: list');
  const rules: Record<string, unknown>[] = [];
  const skipped: string[] = [];
  for (const group of doc.groups) {
    for (const alert of group.rules ?? []) {
      if (alert.record !== undefined) {
        skipped.push(`${alert.record}: a recording rule; sentinel reads the series it records from, so keep it in Prometheus`);
        continue;
      }
      const name = String(alert.alert ?? '');
      try {
        rules.push(toThreshold(name, alert));
      } catch (error) {
        skipped.push(`${name}: ${(error as Error).message}`);
      }
    }
  }
  const header = '# Imported from a Prometheus rule file by `sentinel import prometheus`: check with `sentinel check --rules FILE`.\n';
  return { yaml: header + stringify({ rules }, { lineWidth: 0 }), imported: rules.length, skipped };
}

function toThreshold(name: string, alert: PromAlert): Record<string, unknown> {
  if (!RULE_NAME.test(name)) throw new Error('the alert name is not a valid rule name (letters, digits, _ and :)');
  const expr = String(alert.expr ?? '');
  const shape = thresholdShape(expr);
  const severity = alert.labels?.severity === 'critical' || alert.labels?.severity === 'page' ? 'critical' : 'warning';
  const labels = Object.fromEntries(Object.entries(alert.labels ?? {}).filter(([k]) => k !== 'severity'));
  const rule: Record<string, unknown> = {
    name,
    kind: 'threshold',
    select: shape.select,
    ...(shape.by.length > 0 ? { by: shape.by } : {}),
    ...(shape.rateWindow ? { rate_window: shape.rateWindow } : {}),
    op: shape.op,
    value: shape.value,
    for: durationOr(alert.for, '0s'),
    ...(alert.keep_firing_for ? { keep_firing_for: durationOr(alert.keep_firing_for, '0s') } : {}),
    severity,
    summary: alert.annotations?.summary ?? alert.annotations?.description ?? `${name} is active`,
    ...(alert.annotations?.runbook_url ? { runbook: alert.annotations.runbook_url } : {}),
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
  };
  return rule;
}

function durationOr(text: string | undefined, fallback: string): string {
  if (text === undefined) return fallback;
  if (parseDuration(text) === undefined) throw new Error(`duration ${JSON.stringify(text)} is not one sentinel reads`);
  return text;
}

interface Shape {
  select: string;
  by: string[];
  rateWindow?: string;
  op: string;
  value: number;
}

/** `[sum by (l) (] [rate(] selector [[w])] [)] OP number`, or the reason it is something else. */
function thresholdShape(expr: string): Shape {
  const top = parser.parse(expr).topNode.firstChild;
  const unsupported = 'only thresholds on a selector, rate(selector[w]) or sum by (...) of either convert';
  if (!top || top.name !== 'BinaryExpr') throw new Error(`${JSON.stringify(expr)} is not a comparison with a number: ${unsupported}`);
  const [lhs, opNode, rhs] = children(top);
  const op = opNode ? OPS[opNode.name] : undefined;
  if (!lhs || !op || !rhs || rhs.name !== 'NumberDurationLiteral' || children(top).length !== 3) {
    throw new Error(`${JSON.stringify(expr)}: ${unsupported}, compared with >, >=, < or <= to a number`);
  }
  const value = Number(expr.slice(rhs.from, rhs.to));
  let inner = unwrapParens(lhs);
  let by: string[] = [];
  let summed = false;
  if (inner.name === 'AggregateExpr') {
    if (expr.slice(inner.from, inner.getChild('AggregateOp')!.to) !== 'sum') throw new Error(`${JSON.stringify(expr)}: only sum aggregates convert (threshold sums series per its by: labels)`);
    const modifier = inner.getChild('AggregateModifier');
    if (modifier?.getChild('Without')) throw new Error(`${JSON.stringify(expr)}: sum without (...) has no equivalent; write sum by (...)`);
    by = (modifier?.getChild('GroupingLabels')?.getChildren('LabelName') ?? []).map((n) => expr.slice(n.from, n.to));
    const body = inner.getChild('FunctionCallBody');
    const arg = body ? children(body)[0] : undefined;
    if (!arg) throw new Error(`${JSON.stringify(expr)}: ${unsupported}`);
    inner = unwrapParens(arg);
    summed = true;
  }
  let rateWindow: string | undefined;
  if (inner.name === 'FunctionCall') {
    const fn = expr.slice(inner.from, inner.getChild('FunctionIdentifier')!.to);
    if (fn !== 'rate') throw new Error(`${JSON.stringify(expr)}: ${fn}() has no threshold equivalent (rate() does)`);
    const matrix = children(inner.getChild('FunctionCallBody')!)[0];
    if (!matrix || matrix.name !== 'MatrixSelector') throw new Error(`${JSON.stringify(expr)}: rate() needs a range selector`);
    const duration = matrix.getChild('DurationExpr')!;
    rateWindow = expr.slice(duration.from, duration.to);
    inner = matrix.getChild('VectorSelector')!;
  }
  if (inner.name !== 'VectorSelector') throw new Error(`${JSON.stringify(expr)}: ${unsupported}`);
  const select = expr.slice(inner.from, inner.to);
  parseSelector(select);
  if (!summed) throw new Error(`${JSON.stringify(expr)}: Prometheus compares each series alone; a threshold rule compares the sum per its by: labels. Write it as sum by (<the labels that name one alert>) (...) to import it`);
  return { select, by, op, value, ...(rateWindow ? { rateWindow } : {}) };
}

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

function unwrapParens(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.name === 'ParenExpr' && n.firstChild) n = n.firstChild;
  return n;
}
