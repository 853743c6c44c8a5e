// Subcommand dispatcher: each command is its own module with `run(argv) => exit code`,
// loaded only when asked for so `sentinel check` never pays for the service's imports.
import { readFile } from 'node:fs/promises';
import { closestWord } from '../config/index.js';
import { EXIT } from './args.js';

export type Command = { run(argv: string[]): Promise<number>; summary: string };

const commands: Record<string, () => Promise<Command>> = {
  demo: () => import('./demo.js'),
  check: () => import('./check.js'),
  backtest: () => import('./backtest.js'),
  run: () => import('./run.js'),
  compile: () => import('./compile.js'),
  import: () => import('./import.js'),
  record: () => import('./record.js'),
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    process.stdout.write(`${await version()}\n`);
    return EXIT.ok;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    await printUsage(name ? process.stdout : process.stderr);
    return name ? EXIT.ok : EXIT.usage;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    const guess = closestWord(name.replace(/^-+/, ''), Object.keys(commands));
    const what = name.startsWith('-') ? `unknown option "${name}" before the command` : `unknown command "${name}"`;
    process.stderr.write(`sentinel: ${what}${guess ? `: did you mean \`sentinel ${guess}\`?` : '.'} Run \`sentinel --help\` for the list.\n`);
    return EXIT.usage;
  }
  const command = await load();
  return command.run(rest);
}

/** The package's own version, from the package.json beside dist/ (and src/, in tests). */
async function version(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
  return `${pkg.name} ${pkg.version}`;
}

async function printUsage(out: NodeJS.WriteStream): Promise<void> {
  const lines = ['usage: sentinel <command> [options]   (also installed as integration-sentinel)', '', 'commands:'];
  for (const [name, load] of Object.entries(commands)) {
    const { summary } = await load();
    lines.push(`  ${name.padEnd(10)} ${summary}`);
  }
  lines.push(
    '',
    'Run `sentinel <command> --help` for its options; `sentinel --version` for the version.',
    'Exit codes: 0 ok, 1 problems found, 2 the command line could not be parsed.',
  );
  out.write(lines.join('\n') + '\n');
}
