// Writing compiled files, and `--check`: compare what would be written with what is on disk, so CI can
// fail when the checked-in output (e.g. dashboards/) is stale.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Relative path -> file text. Paths use `/` and never leave the output folder. */
export type OutputFiles = ReadonlyMap<string, string>;

export async function writeOutputs(dir: string, files: OutputFiles): Promise<void> {
  for (const [path, text] of files) {
    const target = join(dir, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text);
  }
}

/** Paths whose content on disk differs from what compile would write (missing files included). */
export async function staleOutputs(dir: string, files: OutputFiles): Promise<string[]> {
  const stale: string[] = [];
  for (const [path, text] of files) {
    const onDisk = await readFile(join(dir, path), 'utf8').catch(() => undefined);
    if (onDisk !== text) stale.push(path);
  }
  return stale;
}

/** Files with `extension` directly in `dir` that compile would not write (e.g. a dashboard since removed). */
export async function unexpectedOutputs(dir: string, files: OutputFiles, extension: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => n.endsWith(extension) && !files.has(n)).sort();
}
