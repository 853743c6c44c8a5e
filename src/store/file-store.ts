import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { JsonText, type DurableStore } from './types.js';

const KEY = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,127}$/;

/** One file per key under `dir`: write to a temp file, fsync it, rename over the old one, fsync the folder. */
export function fileStore(dir: string): DurableStore {
  const ready = mkdir(dir, { recursive: true });
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

  return {
    async read<T>(key: string): Promise<T | undefined> {
      await ready;
      await pending.get(key);
      try {
        return JSON.parse(await readFile(pathOf(key), 'utf8')) as T;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new Error(`cannot read ${pathOf(key)}: ${(error as Error).message}`);
      }
    },
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
  };
}
