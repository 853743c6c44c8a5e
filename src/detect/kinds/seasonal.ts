import { indexAtOrBefore, type Track } from '../track.js';
import type { Entity } from './kind.js';

// Seasonal level of a counter's rate, learned online per clock hour (UTC): 168 hour-of-week slots,
// and hour-of-day slots (weekdays and weekends apart) as the fallback while a week of history has
// not been seen yet. Each
// finished hour is folded into its slots by an even blend, so a few weeks dominate, not one.

const HOUR = 3_600_000;
const WEEK_HOURS = 168;

export interface Season {
  week: number[];
  day: number[];
  /** The clock hour being accumulated (ms since epoch / HOUR), its count and covered time. */
  hour: number;
  count: number;
  spanMs: number;
  lastT: number;
  lastV: number;
  /** The hour being accumulated overlapped an active alert: it is not folded into the slots. */
  tainted?: boolean;
}

function season(ent: Entity): Season {
  let s = ent.memo.season as Season | undefined;
  if (!s) {
    s = { week: new Array<number>(WEEK_HOURS).fill(-1), day: new Array<number>(48).fill(-1), hour: -1, count: 0, spanMs: 0, lastT: 0, lastV: 0 };
    ent.memo.season = s;
  }
  return s;
}

/** Adds the increase since the last call to the current hour; folds finished hours into their slots.
 *  `duringAlert`: the entity's alert is active now, so this hour is an outage, not a normal to learn. */
export function learnSeason(ent: Entity, track: Track, nowMs: number, duringAlert = false): void {
  const s = season(ent);
  const last = indexAtOrBefore(track, nowMs);
  if (last < 0) return;
  const t = track.t[last]!;
  const v = track.v[last]!;
  if (t <= s.lastT) return;
  const hour = Math.floor(t / HOUR);
  if (s.hour !== hour) {
    if (s.hour >= 0 && s.spanMs >= 0.6 * HOUR && !s.tainted) fold(s, s.hour, s.count / s.spanMs);
    s.hour = hour;
    s.count = 0;
    s.spanMs = 0;
    s.tainted = false;
  }
  if (duringAlert) s.tainted = true;
  if (s.lastT > 0) {
    s.count += v - s.lastV;
    s.spanMs += t - s.lastT;
  }
  s.lastT = t;
  s.lastV = v;
}

function fold(s: Season, hour: number, ratePerMs: number): void {
  const w = hour % WEEK_HOURS;
  const d = daySlot(hour);
  s.week[w] = s.week[w]! < 0 ? ratePerMs : (s.week[w]! + ratePerMs) / 2;
  s.day[d] = s.day[d]! < 0 ? ratePerMs : (s.day[d]! + ratePerMs) / 2;
}

/**
 * The learned rate (per ms) now: this clock hour's slot, or the neighbouring hour's (the next one in
 * the second half of the hour, the previous one in the first) when that is lower. A slot is an hour's
 * average, and on the evening decline the end of the hour runs at half of it.
 */
export function seasonalRatePerMs(ent: Entity, nowMs: number): number | undefined {
  const s = ent.memo.season as Season | undefined;
  if (!s) return undefined;
  const hour = Math.floor(nowMs / HOUR);
  const here = slotRate(s, hour);
  if (here === undefined) return undefined;
  const neighbour = slotRate(s, nowMs - hour * HOUR >= HOUR / 2 ? hour + 1 : hour - 1);
  return neighbour === undefined ? here : Math.min(here, neighbour);
}

/** This hour of the week, else of a day of the same kind; a weekday hour may borrow the weekend's
 *  (lower, so the veto only gets stricter), never the other way round. Undefined while unseen. */
function slotRate(s: Season, hour: number): number | undefined {
  const w = s.week[hour % WEEK_HOURS]!;
  if (w >= 0) return w;
  const slot = daySlot(hour);
  const same = s.day[slot]!;
  if (same >= 0) return same;
  if (slot >= 24) return undefined;
  const weekend = s.day[slot + 24]!;
  return weekend >= 0 ? weekend : undefined;
}

/** Hour of day, weekend hours apart from weekday ones (1970-01-01 was a Thursday). */
function daySlot(hour: number): number {
  const dow = (Math.floor(hour / 24) + 4) % 7;
  return (dow === 0 || dow === 6 ? 24 : 0) + (hour % 24);
}
