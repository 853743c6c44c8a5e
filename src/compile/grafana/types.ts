// The Grafana target's contract: dashboards generated from the rule pack, written as stable JSON so the
// checked-in `dashboards/` folder is byte-for-byte what `sentinel compile --target grafana` writes.
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';

import type { Rule } from '../../rules/index.js';

export interface DashboardOptions {
  /** The rule pack: each rule's signal gets a panel beside the metric panels. */
  readonly rules?: readonly Rule[];
  /** Partners offered in the partner dashboard's variable. Empty: every partner Prometheus knows. */
  readonly partners?: readonly string[];
  /** Weeks of history the seasonal "learned normal" line uses (the same as the compiled rules). */
  readonly baselineWeeks?: number;
}

export interface GeneratedDashboard {
  /** File name inside the output folder, e.g. `sentinel-overview.json`. */
  readonly file: string;
  readonly dashboard: Dashboard;
}

/** Template variables the generated PromQL uses; the e2e test substitutes them before querying. */
export const DASHBOARD_VARIABLES = ['datasource', 'partner'] as const;
