// The rule's own words, attached to its alert events for the messages: the summary template (so a
// message re-renders it from allow-listed labels only, never from the detector's rendered text) and the
// rule's kind (so the explanation says "of calls" or "of normal"). Drivers call this between the
// detector and the escalator; the events' other keys are untouched.
import type { AlertEvent } from '../model/index.js';
import type { Rule } from './types.js';

export interface RuleText {
  readonly kind?: string;
  readonly summaryTemplate?: string;
}

export function withRuleText(rules: readonly Rule[], events: readonly AlertEvent[]): Array<AlertEvent & RuleText> {
  if (events.length === 0) return [];
  const byName = new Map(rules.map((r) => [r.name, r]));
  return events.map((event) => {
    const rule = byName.get(event.rule);
    return rule ? { ...event, kind: rule.kind, summaryTemplate: rule.summary } : event;
  });
}
