// Starts the real Prometheus / Alertmanager binaries as child processes in their own process group, so
// stopping one kills everything it spawned, and keeps the tail of their logs for a failing test's message.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';

export interface RunningProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Last lines of stdout+stderr, for failure messages. */
  logTail(): string;
  stop(): Promise<void>;
}

/** The path of an executable, or undefined when it is not installed (the e2e test is then skipped). */
export function findBinary(...candidates: string[]): string | undefined {
  for (const candidate of candidates) {
    for (const dir of candidate.includes('/') ? [''] : (process.env.PATH ?? '').split(':').concat('/usr/bin', '/usr/sbin')) {
      const path = dir ? `${dir}/${candidate}` : candidate;
      try {
        accessSync(path, constants.X_OK);
        return path;
      } catch {
        // try the next one
      }
    }
  }
  return undefined;
}

/** A loopback port that was free a moment ago (the binaries cannot report a port-0 choice back to us). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function startProcess(name: string, binary: string, args: string[]): RunningProcess {
  const child = spawn(binary, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopping: Promise<void> | undefined;
  return {
    name,
    child,
    logTail: () => lines.slice(-40).join('\n'),
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        killGroup(child, 'SIGTERM');
        const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

export interface ServingProcess {
  readonly url: string;
  logTail(): string;
  /** Stops the process and removes its temp folder. */
  stop(): Promise<void>;
}

/**
 * Prometheus and Alertmanager start the same way: spawn on a loopback port, wait for /-/ready, and on a
 * failed start leave neither the process nor its temp folder behind, with the log tail in the error.
 */
export async function startServing(label: string, name: string, binary: string, args: string[], port: number, tempDir: string): Promise<ServingProcess> {
  const proc = startProcess(name, binary, args);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await proc.stop();
    await rm(tempDir, { recursive: true, force: true });
  };
  try {
    await waitFor(`${label} to be ready`, async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined), 15_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${proc.logTail()}`);
  }
  return { url, logTail: () => proc.logTail(), stop };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Polls `probe` until it returns a value (not undefined) or the deadline passes. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
}
