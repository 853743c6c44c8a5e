// Tests that run the built package (bin/sentinel.js, the must-show script) need dist/ to match src/.
// CI gets it from `npm ci` (prepare); locally it is rebuilt here when any source is newer.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
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

function isFresh(): boolean {
  let built = 0;
  try {
    built = statSync(join(ROOT, 'dist/index.js')).mtimeMs;
  } catch { /* not built yet */ }
  return built >= newestMtime(join(ROOT, 'src'));
}

/** Builds dist/ if stale. Test files run in parallel workers: a lock directory keeps two builds
 * from writing the same files while a spawned script reads them. */
export function ensureDist(): void {
  if (isFresh()) return;
  const lock = join(ROOT, 'node_modules/.cache/sentinel-build.lock');
  mkdirSync(join(ROOT, 'node_modules/.cache'), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) rmSync(lock, { recursive: true, force: true }); // a crashed holder
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    // tsc emits even when another part of the tree has a type error; that part's own tests catch it.
    if (!isFresh()) spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'ignore' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
