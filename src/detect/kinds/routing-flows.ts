import type { RoutingFlowsRule } from '../../rules/types.js';
import { TOTAL, warm, type KindSpec, type Verdict } from './kind.js';

// Unhealthy routing flows per zone, from a gauge with a state label. A zone is unhealthy when enough
// of its flows are; an alert holds for each unhealthy zone only while at least `min_zones` zones are
// unhealthy together, so one zone's short blip is held back by `for` and by the zone count.
// PromQL: (sum by (zone) (x{state="unhealthy"}) / sum by (zone) (x) >= 0.1)
//         and on () (count(sum by (zone) (x{state="unhealthy"}) / sum by (zone) (x) >= 0.1) >= 2)

const UNHEALTHY = 'unhealthy';

export const routingFlows: KindSpec<RoutingFlowsRule> = {
  routes: (rule) => [
    {
      name: rule.metric,
      matchers: rule.matchers,
      aggregation: 'sum',
      classify: (labels) => (labels[rule.stateLabel] === rule.unhealthyValue ? [TOTAL, UNHEALTHY] : [TOTAL]),
    },
  ],
  fineKeepMs: () => 10 * 60_000,
  coarseKeepMs: () => 0,
  evaluate(rule, live, nowMs) {
    const unhealthy: Verdict[] = [];
    for (const [key, ent] of live) {
      if (!warm(ent, rule, nowMs)) continue;
      const bad = ent.cum[UNHEALTHY] ?? 0;
      const all = ent.cum[TOTAL] ?? 0;
      if (bad < rule.minUnhealthy || all <= 0) continue;
      const ratio = bad / all;
      if (ratio >= rule.minRatio) unhealthy.push({ entity: key, labels: { ...ent.labels }, value: ratio, explain: { observed: ratio, count: bad, total: all, reference: `min_ratio, with at least ${rule.minZones} zones unhealthy`, upper: rule.minRatio } });
    }
    return unhealthy.length >= rule.minZones ? unhealthy : [];
  },
  measure(rule, ent) {
    const all = ent.cum[TOTAL] ?? 0;
    return all > 0 ? { value: (ent.cum[UNHEALTHY] ?? 0) / all, upper: rule.minRatio } : undefined;
  },
};
