// Rule files written to a temp folder for the duration of a test file, and what `loadRules` says of
// them: each diagnostic as a user reads it, without the folder's path.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { formatDiagnostic } from '../../../src/config/index.js';
import { loadRules } from '../../../src/rules/index.js';

export interface RuleFiles {
  /** Writes the lines as a new rule file and returns its path. */
  write(lines: readonly string[], name?: string): Promise<string>;
  /** The diagnostics for a file of these lines, `line:column: message` first; [] when it loads. */
  problems(lines: readonly string[]): Promise<string[]>;
}

/** Call at the top of a test file: the folder is made before its tests and removed after. */
export function ruleFiles(prefix: string): RuleFiles {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const write = async (lines: readonly string[], name = `r${Math.random().toString(36).slice(2)}.yaml`): Promise<string> => {
    const file = join(dir, name);
    await writeFile(file, lines.join('\n') + '\n');
    return file;
  };
  return {
    write,
    async problems(lines) {
      const file = await write(lines);
      const result = await loadRules(file);
      return result.ok ? [] : result.diagnostics.map((d) => formatDiagnostic(d).slice(file.length + 1));
    },
  };
}
