// What a parsed series selector is: a metric name and label matchers (model/), PromQL's own vocabulary.
import type { LabelMatcher, MatchOperator } from '../model/index.js';

export type { LabelMatcher, MatchOperator };

export interface Selector {
  readonly metric: string;
  readonly matchers: readonly LabelMatcher[];
}

export class SelectorError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}
