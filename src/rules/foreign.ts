// A Prometheus rule file (`groups:` of `alert:`/`expr:`) handed to `sentinel check` or `backtest` would
// otherwise be reported as an unknown field and a missing `rules:`. Say what it is and what to do.
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { Diagnostic } from '../config/index.js';

export function prometheusRuleFile(file: string, text: string): Diagnostic | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  const keys = doc.contents.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : ''));
  if (!keys.includes('groups') || keys.includes('rules')) return undefined;
  const key = doc.contents.items.find((pair) => isScalar(pair.key) && pair.key.value === "groups")!.key as unknown as { range?: readonly number[] };
  const { line, col } = lineCounter.linePos(key.range?.[0] ?? 0);
  return {
    file, line, column: col,
    message: 'this is a Prometheus rule file (groups: of alert/expr), not a sentinel rule file',
    fix: `sentinel rules are a list under rules: with name, kind, select, severity and summary (see docs/rules.md); or convert its alerts: sentinel import prometheus ${file} > rules/imported.yaml`,
  };
}
