import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileStore } from '../../src/store/index.js';

let dir: string;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the file store', () => {
  it('reads back what was written, across store instances, as a restarted service would', async () => {
    dir = await mkdtemp(join(tmpdir(), 'store-'));
    await fileStore(dir).write('alerts', { firing: ['a'] });
    expect(await fileStore(dir).read('alerts')).toEqual({ firing: ['a'] });
    expect(await fileStore(dir).read('missing')).toBeUndefined();
  });

  it('keeps the last of many quick writes and leaves no temp files behind', async () => {
    dir = await mkdtemp(join(tmpdir(), 'store-'));
    const store = fileStore(dir);
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.write('outbox', { i })));
    expect(await store.read('outbox')).toEqual({ i: 49 });
    expect(await readdir(dir)).toEqual(['outbox.json']);
    expect(await store.keys()).toEqual(['outbox']);
  });

  it('refuses keys that could escape its folder', async () => {
    dir = await mkdtemp(join(tmpdir(), 'store-'));
    await expect(fileStore(dir).write('../etc/passwd', 1)).rejects.toThrow(/store key/);
  });
});
