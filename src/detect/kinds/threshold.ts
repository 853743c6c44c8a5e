import type { ThresholdRule } from '../../rules/types.js';
import { increaseBetween } from '../track.js';
import { TOTAL, type Entity, type KindSpec, type Verdict } from './kind.js';

// A static bound, for what users already know: the sum per entity of a gauge, or of a counter's
// per-second rate over `rate_window`. PromQL: sum by (...) (x) > value, or sum by (...) (rate(x[w])) > value.

const COMPARE = {
  '>': (a: number, b: number) => a > b,
  '>=': (a: number, b: number) => a >= b,
  '<': (a: number, b: number) => a < b,
  '<=': (a: number, b: number) => a <= b,
} as const;

export const threshold: KindSpec<ThresholdRule> = {
  // A lower bound (`<`, `<=`) alerts on a drop: its worst value is its lowest.
  lowerIsWorse: (rule) => rule.op === '<' || rule.op === '<=',
  routes: (rule) => [
    { name: rule.metric, matchers: rule.matchers, aggregation: rule.rateWindowMs ? 'counter' : 'sum', classify: () => [TOTAL] },
  ],
  fineKeepMs: (rule) => rule.rateWindowMs ?? 60_000,
  coarseKeepMs: () => 0,
  evaluate(rule, live, nowMs) {
    const verdicts: Verdict[] = [];
    const compare = COMPARE[rule.op];
    for (const [key, ent] of live) {
      const value = valueOf(rule, ent, nowMs);
      if (value === undefined) continue;
      if (compare(value, rule.value)) verdicts.push({ entity: key, labels: { ...ent.labels }, value, explain: { observed: value, reference: `static bound ${rule.op} ${rule.value}`, ...(rule.op.startsWith('>') ? { upper: rule.value } : { lower: rule.value }) } });
    }
    return verdicts;
  },
  measure(rule, ent, _labels, nowMs) {
    const value = valueOf(rule, ent, nowMs);
    if (value === undefined) return undefined;
    return rule.op.startsWith('>') ? { value, upper: rule.value } : { value, lower: rule.value };
  },
};

function valueOf(rule: ThresholdRule, ent: Entity, nowMs: number): number | undefined {
  if (!rule.rateWindowMs) return ent.cum[TOTAL] ?? 0;
  const track = ent.fine[TOTAL];
  if (!track) return undefined;
  const inc = increaseBetween(track, nowMs - rule.rateWindowMs, nowMs);
  return inc.spanMs > 0 ? (inc.delta * 1000) / inc.spanMs : undefined;
}
