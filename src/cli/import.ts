// `sentinel import prometheus FILE [--out rules/imported.yaml]`: a Prometheus rule file's threshold
// alerts as sentinel rules (stdout, or --out); what cannot be carried over exactly is listed on stderr.
import { readFile, writeFile } from 'node:fs/promises';
import { importPrometheusRules } from '../rules/import-prometheus.js';
import { EXIT, optionError, parseCommandArgs } from './args.js';
import { outputFileProblem } from './output-paths.js';

export const summary = 'convert a Prometheus rule file\'s threshold alerts into sentinel threshold rules';

const USAGE = 'usage: sentinel import prometheus FILE [--out rules/imported.yaml]\n';

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs<{ out?: string; help?: boolean }>('import', argv, { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, USAGE, true);
  if (!parsed.ok) return parsed.code;
  if (parsed.values.help) {
    process.stdout.write(USAGE);
    return EXIT.ok;
  }
  const [format, file, ...extra] = parsed.positionals;
  if (format !== 'prometheus' || !file || extra.length > 0) return optionError('import', format && format !== 'prometheus' ? `cannot import "${format}": only prometheus rule files` : 'name the format and the file', USAGE);
  const out = parsed.values.out;
  const problem = out === undefined ? undefined : await outputFileProblem(out, '--out');
  if (problem) return optionError('import', problem, '');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    process.stderr.write(`sentinel import: cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}\n`);
    return EXIT.problems;
  }
  let result;
  try {
    result = importPrometheusRules(text);
  } catch (error) {
    process.stderr.write(`sentinel import: ${file}: ${(error as Error).message}\n`);
    return EXIT.problems;
  }
  for (const line of result.skipped) process.stderr.write(`not imported: ${line}\n`);
  if (out) await writeFile(out, result.yaml);
  else process.stdout.write(result.yaml);
  process.stderr.write(`${result.imported} rule${result.imported === 1 ? '' : 's'} imported${out ? ` to ${out}` : ''}, ${result.skipped.length} not imported\n`);
  return result.skipped.length > 0 && result.imported === 0 ? EXIT.problems : EXIT.ok;
}
