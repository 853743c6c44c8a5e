// Durable JSON documents in a folder, one file per key, each write atomic (temp file, fsync, rename,
// fsync the folder). Temp files left by a write killed midway are removed when the store opens; a
// document that no longer parses (truncated, empty) is set aside with a timestamp and reads as absent,
// so a service starts fresh from what it can still read instead of refusing to start.
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { JsonText, type DurableStore, type SetAsideListener } from './types.js';

const KEY = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,127}$/;
/** `<key>.json.<pid>.tmp`, as writeNow names them. */
const TEMP_FILE = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,127}\.json\.\d+\.tmp$/;

export interface FileStoreOptions {
  readonly onSetAside?: SetAsideListener;
}

export function fileStore(dir: string, options: FileStoreOptions = {}): DurableStore {
  const ready = mkdir(dir, { recursive: true }).then(() => sweepTempFiles(dir));
  // Writes to one key are serialised so two quick writes can't land out of order.
  const pending = new Map<string, Promise<void>>();

  const pathOf = (key: string): string => {
    if (!KEY.test(key)) throw new Error(`store key ${JSON.stringify(key)} must be letters, digits, ".", "_" or "-"`);
    return join(dir, `${key}.json`);
  };

  async function writeNow(key: string, value: unknown): Promise<void> {
    await ready;
    const target = pathOf(key);
    const temp = `${target}.${process.pid}.tmp`;
    const file = await open(temp, 'w');
    try {
      await file.writeFile(value instanceof JsonText ? value.text : JSON.stringify(value));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, target);
    await syncFolder(dir);
  }

  async function setAside(key: string, reason: string): Promise<string | undefined> {
    const path = pathOf(key);
    const movedTo = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      await rename(path, movedTo);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new Error(`cannot set aside ${path} (${reason}): ${(error as Error).message}`);
    }
    options.onSetAside?.({ key, path, movedTo, reason });
    return movedTo;
  }

  return {
    async read<T>(key: string): Promise<T | undefined> {
      await ready;
      await pending.get(key)?.catch(() => undefined);
      let text: string;
      try {
        text = await readFile(pathOf(key), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new Error(`cannot read ${pathOf(key)}: ${(error as Error).message}`);
      }
      try {
        return JSON.parse(text) as T;
      } catch (error) {
        await setAside(key, text.trim() === '' ? 'the file is empty' : `not JSON (${(error as Error).message}), probably cut short`);
        return undefined;
      }
    },
    setAside: (key, reason) => setAside(key, reason),
    write(key: string, value: unknown): Promise<void> {
      const previous = pending.get(key) ?? Promise.resolve();
      const next = previous.catch(() => undefined).then(() => writeNow(key, value));
      pending.set(key, next);
      void next.finally(() => {
        if (pending.get(key) === next) pending.delete(key);
      }).catch(() => undefined);
      return next;
    },
    async delete(key: string): Promise<void> {
      await ready;
      await pending.get(key)?.catch(() => undefined);
      await rm(pathOf(key), { force: true });
    },
    async keys(): Promise<string[]> {
      await ready;
      const names = await readdir(dir);
      return names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length)).sort();
    },
  };
}

/** Temp files of writes killed midway (a crash loop once left 108 MB of them). Best effort. */
async function sweepTempFiles(dir: string): Promise<void> {
  try {
    const names = await readdir(dir);
    await Promise.all(names.filter((n) => TEMP_FILE.test(n)).map((n) => rm(join(dir, n), { force: true })));
  } catch {
    // An unreadable folder shows up on the first read or write, with its own message.
  }
}

async function syncFolder(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** In-memory store with the same contract, for drivers that need no durability (backtest replays). */
export function memoryStore(): DurableStore {
  const data = new Map<string, string>();
  return {
    async read<T>(key: string) {
      const text = data.get(key);
      return text === undefined ? undefined : (JSON.parse(text) as T);
    },
    async write(key: string, value: unknown) {
      data.set(key, value instanceof JsonText ? value.text : JSON.stringify(value));
    },
    async delete(key: string) {
      data.delete(key);
    },
    async keys() {
      return [...data.keys()].sort();
    },
    async setAside(key: string) {
      if (!data.delete(key)) return undefined;
      return `memory:${key}`;
    },
  };
}
