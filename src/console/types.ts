// What the console shows about the running service beyond its alerts and targets.

/** One rule of the loaded set. */
export interface RuleInfo {
  readonly name: string;
  readonly kind: string;
  readonly severity: string;
  readonly summary: string;
  readonly runbook?: string;
}

/** The last SIGHUP or /-/reload: when, and what was wrong if it was refused. */
export interface LastReload {
  readonly atMs: number;
  readonly ok: boolean;
  readonly errors: readonly string[];
}

/** An alert as the service holds it (src/service/types.ts ServiceAlert, structurally). */
export interface ConsoleAlert {
  readonly id: string;
  readonly rule: string;
  readonly state: 'pending' | 'firing';
  readonly severity: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly summary: string;
  readonly runbook?: string;
  readonly kind?: string;
  /** The detector's judgement at the last transition, worded as the messages word it. */
  readonly explain?: import('../model/index.js').AlertExplain;
  readonly value: number;
  readonly activeSince: string;
}

export interface ConsoleTarget {
  readonly name: string;
  readonly url: string;
  readonly health: string;
  readonly lastScrape?: string;
  readonly lastDurationMs?: number;
  readonly lastError?: string;
  readonly samples?: number;
}

/** The running service as the console reads and changes it: the same calls the JSON API makes. */
export interface ConsoleApi {
  now(): number;
  activeAlerts(): readonly ConsoleAlert[];
  targets(): readonly ConsoleTarget[];
  rules(): readonly RuleInfo[];
  lastReload(): LastReload | undefined;
  alertChart(id: string): import('../escalate/chart-history.js').AlertChart | undefined;
  /** Alerts resolved within the last minutes, with their charts (drawn to the resolve and a margin). */
  resolvedCharts?(): readonly import('../escalate/chart-history.js').ResolvedChart[];
  readonly escalator: import('../escalate/types.js').Escalator;
  /** The session cookie for the console's login form, when the token given is the API token. */
  startSession(token: string): string | undefined;
}
