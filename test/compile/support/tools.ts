// The real promtool / amtool, run on compiled files. Tests that need them are skipped, with a message
// saying so, only when the binaries are absent (CI installs them: .ci/run).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { findBinary } from '../../e2e/support/processes.ts';

const run = promisify(execFile);

export const promtool = findBinary('promtool');
export const amtool = findBinary('amtool');

export function warnIfMissing(name: string, path: string | undefined): void {
  if (!path) console.warn(`SKIPPED ${name} checks: ${name} is not installed (apt-get install prometheus prometheus-alertmanager; .ci/run does).`);
}

export interface ToolResult {
  code: number;
  output: string;
}

export async function runTool(binary: string, args: string[], cwd?: string): Promise<ToolResult> {
  try {
    const { stdout, stderr } = await run(binary, args, { cwd, timeout: 60_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}
