// The demo's temp folders (a generated recording of ~165 MB and the policy) are removed however the
// demo ends: normally by the replay's own cleanup, and on any exit that skips it (an uncaught error,
// process.exit) by a synchronous sweep in the process' 'exit' event. Signals and a closed stdout are
// turned into a normal stop by the CLI (src/cli/demo.ts), so they take the first path.
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const live = new Set<string>();

function sweep(): void {
  for (const dir of live) rmSync(dir, { recursive: true, force: true });
  live.clear();
}

export async function makeDemoTempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sentinel-demo-'));
  if (live.size === 0) process.once('exit', sweep);
  live.add(dir);
  return dir;
}

export async function removeDemoTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  live.delete(dir);
  if (live.size === 0) process.removeListener('exit', sweep);
}
