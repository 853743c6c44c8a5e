// In a running service, a rule whose selector has matched no scraped series for longer than its
// warm-up (at least a few scrapes) is blind: say so once in the log, with the did-you-mean, instead of
// waiting quietly for an incident it can never see.
import type { Sample } from '../model/index.js';
import { SelectorCoverage } from '../rules/coverage.js';
import type { Rule } from '../rules/types.js';
import type { Logger } from './log.js';

/** However short a rule's warm-up, give the targets this long to be scraped at least a few times. */
const MIN_WAIT_MS = 5 * 60_000;

export interface CoverageWatch {
  observe(samples: readonly Sample[], nowMs: number): void;
}

export function watchRuleCoverage(rules: readonly Rule[], log: Logger): CoverageWatch {
  const coverage = new SelectorCoverage(rules);
  let sinceMs: number | undefined;
  const reported = new Set<string>();
  return {
    observe(samples, nowMs) {
      sinceMs ??= nowMs;
      coverage.observe(samples);
      const due = rules.filter((r) => !reported.has(r.name) && nowMs - sinceMs! >= Math.max(r.warmUpMs, MIN_WAIT_MS));
      if (due.length === 0) return;
      for (const { rule, message } of coverage.unmatched(due)) {
        log.warn('rule_matches_no_series', { rule: rule.name, source: `${rule.source.file}:${rule.source.line}`, detail: message });
      }
      for (const r of due) reported.add(r.name);
    },
  };
}
