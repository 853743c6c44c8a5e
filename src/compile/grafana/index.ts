// Grafana dashboards as code: `sentinel compile --target grafana` writes what `buildDashboards` returns.
import type { Rule } from '../../rules/index.js';
import type { CompileResult } from '../types.js';
import { numberPanels, stableJson } from './json.js';
import { overviewDashboard } from './overview.js';
import { partnerDashboard } from './partner.js';
import type { DashboardOptions, GeneratedDashboard } from './types.js';

export type { DashboardOptions, GeneratedDashboard } from './types.js';
export { OVERVIEW_UID } from './overview.js';
export { PARTNER_UID } from './partner.js';
export { stableJson } from './json.js';

export const DEFAULT_BASELINE_WEEKS = 4;

export function buildDashboards(options: DashboardOptions = {}): GeneratedDashboard[] {
  const weeks = options.baselineWeeks ?? DEFAULT_BASELINE_WEEKS;
  return [
    { file: 'sentinel-overview.json', dashboard: numberPanels(overviewDashboard(weeks, options.rules ?? [])) },
    { file: 'sentinel-partner.json', dashboard: numberPanels(partnerDashboard(weeks, options.partners ?? [], options.rules ?? [])) },
  ];
}

/** File name -> file text, exactly as written to the output folder. */
export function renderDashboards(options: DashboardOptions = {}): Map<string, string> {
  return new Map(buildDashboards(options).map((d) => [d.file, stableJson(d.dashboard)]));
}

/** The Grafana target: the dashboards rendered as stable JSON files. */
export function compileGrafana(rules: readonly Rule[], options: { partners?: readonly string[] }): CompileResult {
  return { files: renderDashboards({ rules, partners: options.partners }), notes: [] };
}
