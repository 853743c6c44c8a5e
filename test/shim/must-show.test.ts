// CI runs the must-show script exactly as a user would, against the built package imported by name.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ensureDist, ROOT } from '../demo/ensure-dist.js';

it('the must-show script finds every series with the right counts and no identifier', () => {
  ensureDist();
  const result = spawnSync(process.execPath, [join(ROOT, 'examples/must-show-shim.mjs')], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  expect(result.stderr).toBe('');
  expect(result.stdout).toMatch(/^PASS: (\d+)\/\1 checks$/m);
  expect(result.stdout).not.toMatch(/^FAIL/m);
  expect(result.status).toBe(0);
});
