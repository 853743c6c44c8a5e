// `sentinel check --rules DIR|FILE`: validates rule files and reports every problem at once, each as
// `file:line:col: what is wrong: the fix`. Exit 1 on any problem, 0 with a one-line summary otherwise.
import { formatDiagnostic } from '../config/index.js';
import { loadRules } from '../rules/index.js';
import { EXIT, parseCommandArgs } from './args.js';

export const summary = 'validate rule files: every error with file:line:col and the fix';

const USAGE = 'usage: sentinel check --rules DIR|FILE\n';

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs<{ rules?: string; help?: boolean }>('check', argv, { rules: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, USAGE);
  if (!parsed.ok) return parsed.code;
  const values = parsed.values;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const path = values.rules ?? 'rules';
  const result = await loadRules(path);
  if (!result.ok) {
    for (const d of result.diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
    const n = result.diagnostics.length;
    process.stderr.write(`${n} problem${n === 1 ? '' : 's'} in ${path}\n`);
    return 1;
  }
  const files = new Set(result.rules.map((r) => r.source.file)).size;
  const kinds = new Map<string, number>();
  for (const r of result.rules) kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
  const byKind = [...kinds].map(([k, n]) => `${n} ${k}`).join(', ');
  process.stdout.write(`ok: ${result.rules.length} rules in ${files} file${files === 1 ? '' : 's'} (${byKind})\n`);
  return 0;
}
