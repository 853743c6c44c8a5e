// NAB files for the anomaly bench: reading a `timestamp,value` file and scoring detections the way
// ../shared/nab/score.py does (a port, checked against it), so parameter sweeps run in one process.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** ../shared/nab beside the repository (or beside the folder of worktrees), unless NAB_DIR says. */
export const NAB_DIR = process.env.NAB_DIR ?? ['../../../shared/nab', '../../../../shared/nab'].map((rel) => join(import.meta.dirname, rel)).find((dir) => existsSync(join(dir, 'labels.json'))) ?? join(import.meta.dirname, '../../../shared/nab');

export interface NabFile { name: string; t: number[]; x: number[]; windows: [number, number][] }

export function parseTs(s: string): number {
  const iso = s.trim().replace(' ', 'T');
  return Date.parse(/Z$|[+-]\d\d:?\d\d$/.test(iso) ? iso : iso + 'Z');
}

export function readNabCsv(path: string): { t: number[]; x: number[] } {
  const t: number[] = [];
  const x: number[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const [ts, v] = line.split(',');
    t.push(parseTs(ts!));
    x.push(Number(v));
  }
  return { t, x };
}

function indexOf(rows: number[], t: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]! < t - 1e-3) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function loadLabelled(): NabFile[] {
  const labels = JSON.parse(readFileSync(join(NAB_DIR, 'labels.json'), 'utf8')) as Record<string, [string, string][]>;
  return Object.keys(labels).sort().map((name) => {
    const { t, x } = readNabCsv(join(NAB_DIR, 'data', name));
    const windows = labels[name]!.map(([s, e]) => [indexOf(t, parseTs(s.slice(0, 23))), indexOf(t, parseTs(e.slice(0, 23)))] as [number, number]);
    return { name, t, x, windows };
  });
}

export const PROFILES = {
  standard: [1, 1, 0.11],
  reward_low_FP_rate: [1, 1, 0.22],
  reward_low_FN_rate: [1, 2, 0.11],
} as const;
export type Profile = keyof typeof PROFILES;

const sigmoid = (x: number): number => (x > 3 ? -1 : 2 / (1 + Math.exp(5 * x)) - 1);

export interface FileScore { raw: number; tp: number; fp: number; fn: number; windows: number }

export function scoreFile(n: number, windows: [number, number][], detections: number[], profile: Profile): FileScore {
  const [tpW, fnW, fpW] = PROFILES[profile];
  const probation = Math.min(Math.floor(0.15 * n), 750);
  const scored = windows.filter(([, r]) => r >= probation);
  const best: (number | undefined)[] = scored.map(() => undefined);
  let raw = 0;
  let fp = 0;
  for (const i of [...new Set(detections)].sort((a, b) => a - b)) {
    if (i < probation) continue;
    let inside = -1;
    let prev: [number, number] | undefined;
    for (let k = 0; k < scored.length; k++) {
      const [l, r] = scored[k]!;
      if (l <= i && i <= r) { inside = k; break; }
      if (r < i) prev = scored[k];
    }
    if (inside >= 0) {
      const [l, r] = scored[inside]!;
      const w = r - l + 1;
      const s = (tpW * sigmoid(-(r - i + 1) / w)) / sigmoid(-1);
      best[inside] = best[inside] === undefined ? s : Math.max(best[inside]!, s);
    } else {
      fp++;
      if (prev === undefined) raw -= fpW;
      else raw += fpW * sigmoid(Math.abs(i - prev[1]) / Math.max(prev[1] - prev[0], 1));
    }
  }
  let tp = 0;
  for (const s of best) {
    if (s === undefined) raw -= fnW;
    else { raw += s; tp++; }
  }
  return { raw, tp, fp, fn: scored.length - tp, windows: scored.length };
}

/** NAB's normalised score over a set of files' totals. */
export function normalised(raw: number, windows: number, profile: Profile): number {
  const [tpW, fnW] = PROFILES[profile];
  const base = -fnW * windows;
  return (100 * (raw - base)) / (tpW * windows - base);
}
