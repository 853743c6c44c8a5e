// Runs one of the CLI's commands in-process with stdout and stderr captured (and not printed), for tests
// that assert on exit codes and what a command writes.
import { vi } from 'vitest';

export interface CliOutput {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCaptured(command: (argv: string[]) => Promise<number>, argv: string[]): Promise<CliOutput> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    const code = await command(argv);
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}
