// Where a command will write, checked before it does any work: a one-line reason and the fix, never a
// stack trace from the last step of a long run.
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** A file to create (`--report out.html`): its folder must exist; it must not be a folder itself. */
export async function outputFileProblem(path: string, flag: string): Promise<string | undefined> {
  const target = await kind(path);
  if (target === 'directory') return `${flag} ${path} is a folder: give a file name, e.g. ${flag} ${path.replace(/\/$/, '')}/report.html`;
  const folder = dirname(resolve(path));
  const parent = await kind(folder);
  if (parent === 'missing') return `${flag} ${path}: folder ${folder} does not exist: create it (mkdir -p ${folder}) or write the file elsewhere`;
  if (parent === 'file') return `${flag} ${path}: ${folder} is a file, not a folder`;
  return undefined;
}

/** A folder to fill (`compile --out DIR`): created if missing, but never a file that exists. */
export async function outputDirProblem(path: string, flag: string): Promise<string | undefined> {
  if ((await kind(path)) === 'file') return `${flag} ${path} is a file: --out takes a folder (the output is several files), e.g. ${flag} ${dirname(path)}/compiled/`;
  for (let folder = dirname(resolve(path)); folder !== dirname(folder); folder = dirname(folder)) {
    const k = await kind(folder);
    if (k === 'file') return `${flag} ${path}: ${folder} is a file, not a folder`;
    if (k === 'directory') break;
  }
  return undefined;
}

async function kind(path: string): Promise<'file' | 'directory' | 'missing'> {
  try {
    return (await stat(path)).isDirectory() ? 'directory' : 'file';
  } catch {
    return 'missing';
  }
}
