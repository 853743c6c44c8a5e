// Subcommand dispatcher: each command is its own module with `run(argv) => exit code`,
// loaded only when asked for so `sentinel check` never pays for the service's imports.
export type Command = { run(argv: string[]): Promise<number>; summary: string };

const commands: Record<string, () => Promise<Command>> = {
  demo: () => import('./demo.js'),
  check: () => import('./check.js'),
  backtest: () => import('./backtest.js'),
  run: () => import('./run.js'),
  compile: () => import('./compile.js'),
  record: () => import('./record.js'),
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    await printUsage();
    return name ? 0 : 1;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`sentinel: unknown command "${name}". Run \`sentinel --help\` for the list.\n`);
    return 1;
  }
  const command = await load();
  return command.run(rest);
}

async function printUsage(): Promise<void> {
  const lines = ['usage: sentinel <command> [options]', '', 'commands:'];
  for (const [name, load] of Object.entries(commands)) {
    const { summary } = await load();
    lines.push(`  ${name.padEnd(10)} ${summary}`);
  }
  lines.push('', 'Run `sentinel <command> --help` for its options.');
  process.stdout.write(lines.join('\n') + '\n');
}
