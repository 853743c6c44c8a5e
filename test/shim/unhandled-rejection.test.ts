// A rejection the caller never handles stays unhandled through instrumentClient and instrumentQuery
// (the process's 'unhandledRejection' fires as it would without the shim), while a handled one is
// counted as before. Run in a child process: vitest reports any unhandled rejection as a failure.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const PROBE = `
import { instrumentClient, instrumentQuery } from 'integration-sentinel/shim';
const seen = [];
process.on('unhandledRejection', (error) => seen.push(error.message));
const plain = { call: () => Promise.reject(new Error('client')) };
const wrapped = instrumentClient(plain, { partner: 'probe' });
wrapped.call();
const query = instrumentQuery('probe_query', async () => { throw new Error('query'); });
query();
// Handled: never reported.
wrapped.call().catch(() => {});
await new Promise((resolve) => setTimeout(resolve, 50));
console.log(JSON.stringify(seen.sort()));
`;

describe('a rejection nobody handles', () => {
  it('is still unhandled through the shim, for clients and queries, and a handled one is not reported', () => {
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout.trim())).toEqual(['client', 'query']);
  });
});
