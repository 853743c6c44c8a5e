// Runs the built `sentinel demo` as a user would, collecting its output; `onOutput` may act mid-run
// (send Ctrl-C when a line shows up).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ensureDist, ROOT } from './ensure-dist.js';

export interface DemoRun {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

export async function spawnDemo(args: readonly string[], onOutput?: (out: string, child: ChildProcess) => void): Promise<DemoRun> {
  ensureDist();
  const child = spawn(process.execPath, [join(ROOT, 'bin/sentinel.js'), 'demo', ...args], { cwd: ROOT });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d;
    onOutput?.(out, child);
  });
  child.stderr.on('data', (d: Buffer) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, out, err };
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** `Mon 02:45` back to ms: the moment with that weekday and time nearest to `nearMs` (within ±3.5 days). */
export function recordedMs(label: string, nearMs: number): number {
  const m = /^(\w{3}) (\d\d):(\d\d)$/.exec(label);
  if (!m) throw new Error(`not a recorded time: ${label}`);
  const day = 86_400_000;
  const base = Math.floor(nearMs / day) * day;
  for (let d = -4; d <= 4; d++) {
    const t = base + d * day + Number(m[2]) * 3_600_000 + Number(m[3]) * 60_000;
    if (DAYS[new Date(t).getUTCDay()] === m[1] && Math.abs(t - nearMs) <= 3.5 * day) return t;
  }
  throw new Error(`${label} is not within 3.5 days of ${new Date(nearMs).toISOString()}`);
}
