// Tests that run the built package (bin/sentinel.js, the must-show script) need dist/ to match src/.
// CI gets it from `npm ci` (prepare); locally it is rebuilt here when any source is newer.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : entry.name.endsWith('.ts') ? statSync(p).mtimeMs : 0);
  }
  return newest;
}

export function ensureDist(): void {
  let built = 0;
  try {
    built = statSync(join(ROOT, 'dist/index.js')).mtimeMs;
  } catch { /* not built yet */ }
  if (built >= newestMtime(join(ROOT, 'src'))) return;
  // tsc emits even when another part of the tree has a type error; that part's own tests catch it.
  spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'ignore' });
}
