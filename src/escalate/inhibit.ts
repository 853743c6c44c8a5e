// Alertmanager's inhibitor: a firing source alert mutes target alerts that carry the same values for
// every `equal` label (e.g. an unhealthy zone holds back partner timeouts from that zone).
import type { Labels } from '../model/index.js';
import { matches } from '../policy/matchers.js';
import type { InhibitRule } from '../policy/types.js';

export function isInhibited(rules: readonly InhibitRule[], target: Labels, firingSources: readonly Labels[]): boolean {
  for (const rule of rules) {
    if (!matches(rule.targetMatchers, target)) continue;
    for (const source of firingSources) {
      if (source === target) continue;
      if (!matches(rule.sourceMatchers, source)) continue;
      // An alert that is both source and target never mutes its peers (Alertmanager does the same),
      // otherwise two zone alerts could hold each other back.
      if (matches(rule.targetMatchers, source) && matches(rule.sourceMatchers, target)) continue;
      if (rule.equal.every((name) => (source[name] ?? '') === (target[name] ?? ''))) return true;
    }
  }
  return false;
}
