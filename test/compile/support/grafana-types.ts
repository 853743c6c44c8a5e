// Type-checks generated dashboard JSON against Grafana's own schema types (the foundation SDK's
// generated `Dashboard`, panel `Options` / `FieldConfig` and Prometheus `Dataquery`), by writing the JSON
// as object literals into a virtual TypeScript file: excess-property checks reject unknown keys, and
// every value must have its schema type. String enums are compared by value (`${Enum}`), as JSON has them.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const VIRTUAL = join(ROOT, 'test', 'compile', '__generated_dashboards_typecheck.ts');

const PRELUDE = `
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import type * as stat from '@grafana/grafana-foundation-sdk/stat';
import type * as table from '@grafana/grafana-foundation-sdk/table';
import type * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
// JSON view of a schema type: string enums become their values, methods (cog's variant markers) vanish.
type Json<T> = T extends string ? \`\${T}\` : T extends number | boolean | null | undefined ? T
  : T extends readonly (infer U)[] ? Json<U>[]
  : T extends object ? { [K in keyof T as T[K] extends (...args: any[]) => any ? never : K]: Json<T[K]> } : T;
`;

const PANEL_TYPES: Record<string, { options: string; custom?: string }> = {
  timeseries: { options: 'timeseries.Options', custom: 'timeseries.FieldConfig' },
  stat: { options: 'stat.Options' },
  table: { options: 'table.Options', custom: 'table.FieldConfig' },
};

interface PanelJson {
  type: string;
  options?: unknown;
  fieldConfig?: { defaults?: { custom?: unknown } };
  targets?: unknown[];
}

/** TypeScript diagnostics (empty when every dashboard conforms); unknown panel types are reported too. */
export function typecheckDashboards(dashboards: ReadonlyMap<string, unknown>): string[] {
  const lines = [PRELUDE];
  const problems: string[] = [];
  let n = 0;
  for (const [file, dashboard] of dashboards) {
    lines.push(`// ${file}`, `export const d${n}: Json<Dashboard> = ${JSON.stringify(dashboard)};`);
    for (const panel of ((dashboard as { panels?: PanelJson[] }).panels ?? [])) {
      if (panel.type === 'row') continue;
      const types = PANEL_TYPES[panel.type];
      if (!types) {
        problems.push(`${file}: panel type "${panel.type}" has no schema type in this check`);
        continue;
      }
      const id = `p${n}_${lines.length}`;
      lines.push(`export const ${id}_options: Json<${types.options}> = ${JSON.stringify(panel.options ?? {})};`);
      if (types.custom) lines.push(`export const ${id}_custom: Json<${types.custom}> = ${JSON.stringify(panel.fieldConfig?.defaults?.custom ?? {})};`);
      (panel.targets ?? []).forEach((t, i) => lines.push(`export const ${id}_t${i}: Json<prometheus.Dataquery> = ${JSON.stringify(t)};`));
    }
    n++;
  }
  const source = lines.join('\n');
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, onError, create) =>
    name === VIRTUAL ? ts.createSourceFile(name, source, lang) : getSourceFile(name, lang, onError, create);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === VIRTUAL || fileExists(name);
  const program = ts.createProgram([VIRTUAL], options, host);
  const diagnostics = [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics()];
  for (const d of diagnostics) {
    const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    const line = where ? source.split('\n')[where.line]?.slice(0, 60) : '';
    problems.push(`${ts.flattenDiagnosticMessageText(d.messageText, '\n')}${line ? ` (at: ${line}...)` : ''}`);
  }
  return problems;
}
