// One `sentinel run` per data_dir: two services writing the same state would each page for the same
// incident and overwrite each other's outbox. The lock is a file holding the holder's pid, created
// exclusively (O_EXCL); a lock whose process is gone (killed, crashed) is stale and taken over.
import { hostname } from 'node:os';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

export const LOCK_FILE = 'sentinel.lock';

export interface DataDirLock {
  readonly file: string;
  /** Set when an earlier holder died without releasing: its pid. */
  readonly tookOverFrom?: number;
  release(): Promise<void>;
}

export class DataDirLocked extends Error {
  constructor(
    readonly file: string,
    readonly holder: { pid: number; host: string; startedAt?: string },
  ) {
    super(`data_dir is in use by another sentinel run (pid ${holder.pid} on ${holder.host}${holder.startedAt ? `, started ${holder.startedAt}` : ''}; lock file ${file})`);
  }
}

interface Holder {
  pid: number;
  host: string;
  startedAt?: string;
}

export async function lockDataDir(dataDir: string, pid = process.pid): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true });
  const file = join(dataDir, LOCK_FILE);
  let tookOverFrom: number | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(JSON.stringify({ pid, host: hostname(), startedAt: new Date().toISOString() }) + '\n');
      await handle.close();
      return {
        file,
        ...(tookOverFrom !== undefined ? { tookOverFrom } : {}),
        release: async () => {
          // Only our own lock: a successor may already hold a new one.
          if ((await readHolder(file))?.pid === pid) await rm(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readHolder(file);
    if (holder && holder.host === hostname() && holder.pid !== pid && alive(holder.pid)) throw new DataDirLocked(file, holder);
    if (holder && holder.host !== hostname()) throw new DataDirLocked(file, holder);
    // Stale (its process is gone) or unreadable (a crash mid-write): take it over.
    tookOverFrom = holder?.pid;
    await rm(file, { force: true });
  }
  throw new Error(`cannot take the lock ${file}: another process keeps re-creating it`);
}

async function readHolder(file: string): Promise<Holder | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<Holder>;
    return typeof parsed.pid === 'number' ? { pid: parsed.pid, host: String(parsed.host ?? ''), ...(parsed.startedAt ? { startedAt: parsed.startedAt } : {}) } : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else; still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
