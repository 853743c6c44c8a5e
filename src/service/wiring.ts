// The real parts behind the service's ports: the rules loader and the detector, the ingest
// parser, and the escalator. Tests inject fakes through the same ServiceDeps; `sentinel run` uses these.
import { openDetector } from '../detect/index.js';
import { createEscalator } from '../escalate/escalator.js';
import { parseExposition } from '../ingest/index.js';
import { loadRules, type Rule } from '../rules/index.js';
import { withRuleText } from '../rules/rule-text.js';
import { ChartHistory } from '../escalate/chart-history.js';
import { watchRuleCoverage } from './rule-coverage.js';
import type { ServiceDeps } from './service.js';
import type { DetectorPort } from './types.js';

export type RuleSet = readonly Rule[];

export const realDetector: DetectorPort<RuleSet> = {
  async loadRules(path) {
    const loaded = await loadRules(path);
    return loaded.ok ? { ok: true, value: loaded.rules } : loaded;
  },
  open(rules, snapshot) {
    const detector = openDetector(rules, snapshot);
    const charts = new ChartHistory();
    let current = rules;
    // The escalator re-renders the rule's own summary from allow-listed labels: hand it the template.
    return {
      step: (batch) => charts.observe(withRuleText(current, detector.step(batch)), batch.atMs, detector.measure),
      // Lets the evaluator feed a 100 k-sample batch in slices with the event loop turning between them
      // (without it the whole batch went into one synchronous step).
      ingest: (batch) => detector.ingest(batch),
      snapshot: () => detector.snapshot(),
      chart: (id) => charts.chart(id),
      resolvedCharts: () => charts.resolved(),
      setRules(next) {
        current = next;
        detector.setRules(next);
      },
    };
  },
};

export function productionDeps(overrides: Partial<ServiceDeps<RuleSet>> = {}): ServiceDeps<RuleSet> {
  return {
    detector: realDetector,
    parse: parseExposition,
    createEscalator: ({ log, ...options }) =>
      // The escalator's lines name a receiver and what failed; they go out as one log event each.
      createEscalator({ ...options, log: (line) => log.warn('escalation', { detail: line.replace(/^escalation: /, '') }) }),
    watchCoverage: (rules, log) => watchRuleCoverage(rules, log),
    describeRules: (rules) => rules.map((r) => ({ name: r.name, kind: r.kind, severity: r.severity, summary: r.summary, ...(r.runbook ? { runbook: r.runbook } : {}) })),
    ...overrides,
  };
}
