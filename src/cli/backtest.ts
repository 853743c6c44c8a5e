// Placeholder until its issue lands: says so plainly instead of pretending.
export const summary = '(not built yet)';
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('sentinel backtest: not built yet\n');
  return 2;
}
