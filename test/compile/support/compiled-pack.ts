// The default pack compiled for Prometheus into a temp dir for one test file (removed after it), and
// promtool unit tests run against it: the promtool tests of single rules share this.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { compile, writeOutputs } from 'integration-sentinel';
import { promtool, runTool, type ToolResult } from './tools.ts';

/** Compiles `rules/` before the file's tests; `promtoolTest` writes a unit test file beside the
 *  compiled rules and runs `promtool test rules` on it. */
export function useCompiledPack(prefix: string): { promtoolTest(name: string, test: unknown): Promise<ToolResult> } {
  let dir: string | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `sentinel-${prefix}-`));
    const outcome = await compile('prometheus', { rules: 'rules' });
    if (!outcome.ok) throw new Error(outcome.errors.join('\n'));
    await writeOutputs(dir, outcome.result.files);
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return {
    async promtoolTest(name, test) {
      if (!dir) throw new Error('the pack is compiled in beforeAll');
      await writeFile(join(dir, `${name}.test.yml`), JSON.stringify(test));
      return runTool(promtool!, ['test', 'rules', `${name}.test.yml`], dir);
    },
  };
}

/** A counter's promtool values, one a minute from 0 to `minutes`: `perMinute(m)` added in minute m
 *  (kept to 3 decimals: a sum of seconds must not print as 47.99999999). */
export function counterValues(minutes: number, perMinute: (m: number) => number): string {
  const values: number[] = [];
  let v = 0;
  for (let m = 0; m <= minutes; m++) values.push(Number((v += perMinute(m)).toFixed(3)));
  return values.join(' ');
}
