// The demo writes a ~165 MB recording to a temp folder; it must be gone however the demo ends:
// piped into `head` (EPIPE), Ctrl-C (SIGINT) or SIGTERM. Each run gets its own TMPDIR to look in.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDist, ROOT } from '../demo/ensure-dist.ts';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function freshTmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'demo-cleanup-'));
  made.push(dir);
  return dir;
}

const demoArgs = [join(ROOT, 'bin/sentinel.js'), 'demo', '--port', '0', '--every', '60s'];

describe('sentinel demo removes its temp folder', () => {
  it('when its stdout is closed (| head -5)', async () => {
    ensureDist();
    const tmp = freshTmp();
    // sh waits for every command of the pipeline, so when it exits the demo has exited too.
    const sh = spawn('sh', ['-c', `"${process.execPath}" ${demoArgs.map((a) => `"${a}"`).join(' ')} | head -5 > "${tmp}/head.txt"; echo "demo exit $?"`], { env: { ...process.env, TMPDIR: tmp } });
    let out = '';
    sh.stdout.on('data', (d: Buffer) => (out += d));
    await new Promise((resolve) => sh.on('close', resolve));
    expect(readdirSync(tmp).filter((n) => n.startsWith('sentinel-demo-'))).toEqual([]);
    expect(readdirSync(tmp)).toEqual(['head.txt']);
  }, 120_000);

  it.each(['SIGINT', 'SIGTERM'] as const)('on %s', async (signal) => {
    ensureDist();
    const tmp = freshTmp();
    const child = spawn(process.execPath, demoArgs, { env: { ...process.env, TMPDIR: tmp } });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the replay did not start:\n${out}`)), 90_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d;
        // The folder exists from here on: the recording is generated into it.
        if (/removed at exit/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    expect(readdirSync(tmp).filter((n) => n.startsWith('sentinel-demo-'))).toHaveLength(1);
    child.kill(signal);
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(out).toContain('stopping…');
    expect(readdirSync(tmp)).toEqual([]);
  }, 120_000);
});
