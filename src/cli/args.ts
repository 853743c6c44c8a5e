// Every command's options through node:util parseArgs, with one way of failing: a command line that
// cannot be parsed prints what was wrong, a did-you-mean for a misspelt option (`--rule` -> `--rules`)
// and the usage, and exits 2.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closestWord } from '../config/index.js';

/** The exit codes every command uses (README, "Exit codes"): 0 ok; 1 problems found (in the rules, the
 *  config, the data, an option's value, a missing required option); 2 the command line could not be
 *  parsed (unknown command or option, an option without its value, a stray argument). */
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;

type Options = NonNullable<ParseArgsConfig['options']>;

export type Parsed<V> = { ok: true; values: V; positionals: string[] } | { ok: false; code: number };

export function parseCommandArgs<V>(command: string, argv: string[], options: Options, usage: string, allowPositionals = false): Parsed<V> {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals });
    return { ok: true, values: values as V, positionals };
  } catch (error) {
    process.stderr.write(`sentinel ${command}: ${usageMessage(error as Error & { code?: string }, options)}\n${usage}`);
    return { ok: false, code: EXIT.usage };
  }
}

function usageMessage(error: Error & { code?: string }, options: Options): string {
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const written = /Unknown option '([^']+)'/.exec(error.message)?.[1] ?? '';
    const name = written.replace(/^-+/, '').split('=')[0]!;
    const guess = closestWord(name, Object.keys(options));
    return `unknown option ${written}${guess ? `: did you mean --${guess}?` : ''}`;
  }
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const extra = /Unexpected argument '([^']+)'/.exec(error.message)?.[1];
    return `unexpected argument ${extra ? JSON.stringify(extra) : ''}: options are written --name value`.replace('  ', ' ');
  }
  // ERR_PARSE_ARGS_INVALID_OPTION_VALUE: "Option '--rules <value>' argument missing" and the like.
  return error.message.replace(/^Option '([^']+)' argument missing$/, "$1 needs a value");
}

/** A mistake found after parsing (a missing required option, a bad value): message, usage, exit 1. */
export function optionError(command: string, message: string, usage: string): number {
  process.stderr.write(`sentinel ${command}: ${message}\n${usage}`);
  return EXIT.problems;
}
