// Every file a user writes (rules, escalation policy, service config) is read through one loader, so
// every mistake is reported the same way: where it is, what is wrong, and how to fix it.

/** One problem in one input file. Lines and columns are 1-based, as editors show them. */
export interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  /** What to write instead, as a clause: `did you mean "error_rate"?`, `use a duration such as 5m`. */
  readonly fix?: string;
}

export type LoadResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** Where a parsed value came from, for messages that name a rule or route after validation. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}
