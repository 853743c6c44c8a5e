import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadState } from '../../src/escalate/state.js';
import { fileStore } from '../../src/store/index.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the saved escalation state', () => {
  it('is set aside with a timestamp when it has the wrong shape, and the escalator starts empty', async () => {
    dir = await mkdtemp(join(tmpdir(), 'escalation-state-'));
    await writeFile(join(dir, 'escalation.json'), JSON.stringify({ version: 1, seq: 3, groups: [], outbox: {} }));
    const logs: string[] = [];
    const state = await loadState(fileStore(dir), (line) => logs.push(line));
    expect(state.groups).toEqual({});
    expect(state.outbox).toEqual([]);
    expect((await readdir(dir)).filter((n) => n.startsWith('escalation.json.corrupt-'))).toHaveLength(1);
    expect(logs.join('\n')).toMatch(/groups is not an object.*moved to .*escalation\.json\.corrupt-.*Fix:/);
  });

  it('is set aside when it is not JSON at all (truncated), and the store says so', async () => {
    dir = await mkdtemp(join(tmpdir(), 'escalation-state-'));
    await writeFile(join(dir, 'escalation.json'), '{"version":1,"seq":');
    const moved: string[] = [];
    const state = await loadState(fileStore(dir, { onSetAside: (e) => moved.push(`${e.key}: ${e.reason}`) }));
    expect(state.seq).toBe(0);
    expect(moved).toEqual([expect.stringMatching(/^escalation: not JSON .*cut short$/)]);
  });
});
