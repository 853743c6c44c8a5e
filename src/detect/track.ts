// A short history of one aggregated value (a counter's cumulative increase, or a gauge's level) at
// evaluation times: enough to answer "how much did it increase between then and now" the way
// PromQL's increase() does, across gaps. Plain arrays, so the detector state stays plain JSON.

export interface Track {
  t: number[];
  v: number[];
}

export function newTrack(): Track {
  return { t: [], v: [] };
}

/** Appends a point; drops points older than `keepMs` before `nowMs` (keeping one just before, as an anchor). */
export function pushPoint(track: Track, nowMs: number, value: number, keepMs: number): void {
  const { t, v } = track;
  const n = t.length;
  if (n > 0 && t[n - 1]! === nowMs) {
    v[n - 1] = value;
  } else {
    t.push(nowMs);
    v.push(value);
  }
  // Trim in chunks: splice is O(n), so do it rarely.
  if (t.length > 8 && t[8]! < nowMs - keepMs) {
    let cut = 0;
    const limit = nowMs - keepMs;
    while (cut + 1 < t.length && t[cut + 1]! < limit) cut++;
    if (cut > 0) {
      t.splice(0, cut);
      v.splice(0, cut);
    }
  }
}

/** Index of the latest point at or before `atMs`, or -1 when every point is later. `hint`: an index
 *  likely to be the answer (a parallel track's), checked first in O(1) before the binary search. */
export function indexAtOrBefore(track: Track, atMs: number, hint = -1): number {
  const t = track.t;
  let lo = 0;
  let hi = t.length - 1;
  // Points are strictly increasing (pushPoint overwrites an equal timestamp), so this is the answer.
  if (hint >= 0 && hint <= hi && t[hint]! <= atMs && (hint === hi || t[hint + 1]! > atMs)) return hint;
  if (hi < 0 || t[0]! > atMs) return -1;
  if (t[hi]! <= atMs) return hi;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (t[mid]! <= atMs) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export interface Increase {
  /** The increase between the two points found. */
  readonly delta: number;
  /** Time between them: may exceed the window after a gap (the increase is then spread over it). */
  readonly spanMs: number;
}

/**
 * Increase over (fromMs, toMs]: from the latest point at or before `fromMs` (or the oldest point, when
 * history is shorter) to the latest point at or before `toMs`. After a scrape gap the span grows, so
 * delta / span is the average rate over the gap, never a spike.
 */
export function increaseBetween(track: Track, fromMs: number, toMs: number): Increase {
  const end = indexAtOrBefore(track, toMs);
  if (end < 0) return { delta: 0, spanMs: 0 };
  let start = indexAtOrBefore(track, fromMs);
  if (start < 0) start = 0;
  if (start >= end) return { delta: 0, spanMs: 0 };
  return { delta: track.v[end]! - track.v[start]!, spanMs: track.t[end]! - track.t[start]! };
}

/** Expected count in `windowMs` at the rate measured by an increase (0 when nothing was measured). */
export function perWindow(inc: Increase, windowMs: number): number {
  return inc.spanMs > 0 ? (inc.delta * windowMs) / inc.spanMs : 0;
}
