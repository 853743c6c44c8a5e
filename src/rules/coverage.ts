// Which rules matched no series at all: a misspelt metric (`integration_request_total`) or a matcher
// no series satisfies makes a rule silently blind. Drivers feed it the samples they evaluate and ask,
// after a backtest or once a rule's warm-up has passed in the service, which rules saw nothing.
import { closestWord, formatSelector, matchesLabels } from '../config/index.js';
import type { Sample } from '../model/index.js';
import type { Rule } from './types.js';

/** The sample names a rule's selector stands for: the metric itself, or a histogram's parts. */
export function namesRead(rule: Rule): string[] {
  const base = [rule.metric, `${rule.metric}_count`, `${rule.metric}_sum`, `${rule.metric}_bucket`];
  return rule.kind === 'queue_backlog' ? [...base, rule.pendingMetric, rule.oldestAgeMetric] : base;
}

export interface UnmatchedRule {
  readonly rule: Rule;
  /** `partner_success_drop: no series matched integration_request_total{…}: did you mean integration_requests_total?` */
  readonly message: string;
}

export class SelectorCoverage {
  /** Rules not yet matched, by the sample names that would match them. */
  readonly #waiting = new Map<string, Set<Rule>>();
  readonly #matched = new Set<Rule>();
  /** Every sample name seen, for did-you-mean (bounded: names, not series). */
  readonly #names = new Set<string>();
  /** Names seen with their label names, to say which matcher excluded everything. */
  readonly #labelsByName = new Map<string, Set<string>>();
  readonly #rules: readonly Rule[];

  constructor(rules: readonly Rule[]) {
    this.#rules = rules;
    for (const rule of rules) {
      for (const name of namesRead(rule)) {
        let set = this.#waiting.get(name);
        if (!set) this.#waiting.set(name, (set = new Set()));
        set.add(rule);
      }
    }
  }

  observe(samples: readonly Sample[]): void {
    // Samples of one family come together: look names up once per run of the same name.
    let lastName = '';
    let waiting: Set<Rule> | undefined;
    for (const sample of samples) {
      if (sample.name !== lastName) {
        lastName = sample.name;
        if (!this.#names.has(sample.name)) {
          this.#names.add(sample.name);
          this.#labelsByName.set(sample.name, new Set());
        }
        waiting = this.#waiting.get(sample.name);
      }
      if (!waiting || waiting.size === 0) continue;
      // Label names only matter for explaining a rule that has not matched yet.
      const labelNames = this.#labelsByName.get(sample.name)!;
      if (labelNames.size < 64) for (const label in sample.labels) labelNames.add(label);
      for (const rule of waiting) {
        if (!matchesLabels(rule.matchers, sample.labels)) continue;
        this.#matched.add(rule);
        for (const name of namesRead(rule)) this.#waiting.get(name)?.delete(rule);
      }
    }
  }

  /** Rules no observed sample matched, each with what was seen instead. */
  unmatched(rules: readonly Rule[] = this.#rules): UnmatchedRule[] {
    return rules.filter((rule) => !this.#matched.has(rule)).map((rule) => ({ rule, message: this.#explain(rule) }));
  }

  #explain(rule: Rule): string {
    const wanted = formatSelector({ metric: rule.metric, matchers: rule.matchers });
    const head = `${rule.name}: no series matched ${wanted}`;
    const seenName = namesRead(rule).find((n) => this.#names.has(n));
    if (seenName) {
      const labels = this.#labelsByName.get(seenName)!;
      const absent = rule.matchers.filter((m) => !labels.has(m.label) && (m.op === '=' || m.op === '=~') && m.value !== '');
      if (absent.length > 0) {
        const guess = closestWord(absent[0]!.label, [...labels]);
        return `${head}: ${seenName} has no label ${absent[0]!.label}${guess ? `: did you mean ${guess}?` : ` (it has ${[...labels].sort().join(', ') || 'no labels'})`}`;
      }
      return `${head}: ${seenName} was seen, but no series of it satisfies ${rule.matchers.map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`).join(', ')}`;
    }
    if (this.#names.size === 0) return `${head}: no samples were read at all`;
    const guess = closestWord(rule.metric, [...this.#names].map(baseName));
    return guess ? `${head}: did you mean ${guess}?` : `${head}: no sample is named ${rule.metric} (names seen: ${[...this.#names].slice(0, 5).join(', ')}${this.#names.size > 5 ? ', …' : ''})`;
  }
}

/** A histogram's parts suggest its base name, which is what select names. */
function baseName(name: string): string {
  return name.replace(/_(bucket|count|sum)$/, '');
}
