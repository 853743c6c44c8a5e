// `sentinel compile`: the rule pack and escalation policy as Prometheus rules, an Alertmanager config
// and Grafana dashboards. Everything it cannot carry over exactly is named on stderr (and in a notes
// file beside the output) instead of being silently changed.
import { COMPILE_TARGETS, type CompileResult, type CompileTarget } from '../compile/types.js';
import { staleOutputs, unexpectedOutputs, writeOutputs } from '../compile/output.js';
import { parseCommandArgs } from './args.js';
import { outputDirProblem } from './output-paths.js';

export const summary = 'compile rules and policy for Prometheus, Alertmanager and Grafana';

const USAGE = `usage:
  sentinel compile --target prometheus   --rules DIR|FILE --out DIR
  sentinel compile --target alertmanager --policy sentinel.yaml --out DIR [--secrets-dir DIR]
  sentinel compile --target grafana      --rules DIR|FILE --out dashboards/ [--partners a,b]

options:
  --check            write nothing; exit 1 if any file in --out differs from what would be written
  --secrets-dir DIR  where Alertmanager reads secret files (default /etc/alertmanager/secrets), one per
                     environment variable the policy names: SLACK_BOT_TOKEN -> DIR/slack_bot_token
  --time-scale X     (tests) multiply every duration by X, e.g. 0.01 to replay minutes in seconds
`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs<{ target?: string; rules?: string; policy?: string; out?: string; partners?: string; 'secrets-dir'?: string; check: boolean; 'time-scale'?: string; help: boolean }>('compile', argv, {
    target: { type: 'string' },
    rules: { type: 'string' },
    policy: { type: 'string' },
    out: { type: 'string' },
    partners: { type: 'string' },
    'secrets-dir': { type: 'string' },
    check: { type: 'boolean', default: false },
    'time-scale': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  }, USAGE);
  if (!parsed.ok) return parsed.code;
  const values = parsed.values;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const target = values.target as CompileTarget | undefined;
  if (!target || !COMPILE_TARGETS.includes(target)) {
    process.stderr.write(`sentinel compile: --target must be one of ${COMPILE_TARGETS.join(', ')}\n${USAGE}`);
    return 1;
  }
  if (!values.out) {
    process.stderr.write(`sentinel compile: --out DIR is required\n${USAGE}`);
    return 1;
  }
  // Before compiling: --out onto an existing file would fail at the very end, with a stack trace.
  const outProblem = await outputDirProblem(values.out, '--out');
  if (outProblem) {
    process.stderr.write(`sentinel compile: ${outProblem}\n`);
    return 1;
  }
  const timeScale = values['time-scale'] === undefined ? undefined : Number(values['time-scale']);
  if (timeScale !== undefined && !(timeScale > 0 && timeScale <= 1)) {
    process.stderr.write(`sentinel compile: --time-scale must be a number in (0, 1], got ${values['time-scale']}\n`);
    return 1;
  }

  const { compile } = await import('../compile/index.js');
  const outcome = await compile(target, {
    rules: values.rules,
    policy: values.policy,
    partners: values.partners?.split(',').map((p) => p.trim()).filter(Boolean),
    timeScale,
    secretsDir: values['secrets-dir'],
  });
  if (!outcome.ok) {
    for (const line of outcome.errors) process.stderr.write(`${line}\n`);
    return 1;
  }
  reportNotes(outcome.result);
  if (values.check) {
    const stale = await staleOutputs(values.out, outcome.result.files);
    for (const path of stale) process.stderr.write(`sentinel compile: ${values.out}/${path} is not what compile writes; run without --check to regenerate\n`);
    // dashboards/ holds only generated dashboards: one compile no longer writes is stale too.
    const extra = target === 'grafana' ? await unexpectedOutputs(values.out, outcome.result.files, '.json') : [];
    for (const path of extra) process.stderr.write(`sentinel compile: ${values.out}/${path} is not written by compile any more; delete it\n`);
    return stale.length + extra.length > 0 ? 1 : 0;
  }
  await writeOutputs(values.out, outcome.result.files);
  process.stdout.write(`wrote ${outcome.result.files.size} file(s) to ${values.out}\n`);
  return 0;
}

function reportNotes(result: CompileResult): void {
  for (const note of result.notes) {
    if (note.fidelity === 'exact') continue;
    process.stderr.write(`sentinel compile: ${note.subject}: ${note.fidelity}: ${note.reason}\n`);
  }
}
