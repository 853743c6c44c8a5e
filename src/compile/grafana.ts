// The Grafana target: the dashboards of src/dashboards, rendered as stable JSON files.
import { renderDashboards } from '../dashboards/index.js';
import type { Rule } from '../rules/index.js';
import type { CompileResult } from './types.js';

export function compileGrafana(rules: readonly Rule[], options: { partners?: readonly string[] }): CompileResult {
  return { files: renderDashboards({ rules, partners: options.partners }), notes: [] };
}
