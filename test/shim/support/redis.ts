// A real Redis for the BullMQ tests: Debian's redis-server on a free port of 127.0.0.1, nothing
// saved to disk. Started once per test file, stopped after.
import { spawn, spawnSync } from 'node:child_process';
import { freePort } from './free-port.js';

export interface Redis {
  readonly host: string;
  readonly port: number;
  stop(): Promise<void>;
}

export const REDIS_MISSING = 'SKIPPED: redis-server not found on PATH (apt-get install redis-server; .ci/run does)';

export function hasRedis(): boolean {
  return spawnSync('redis-server', ['--version']).status === 0;
}

export async function startRedis(): Promise<Redis> {
  if (!hasRedis()) throw new Error(REDIS_MISSING);
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start on ${port}:\n${output}`)), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) { clearTimeout(timer); resolve(); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`redis-server exited with ${code}:\n${output}`)); });
  });
  return {
    host: '127.0.0.1',
    port,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
