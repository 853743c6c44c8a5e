// Seasonal level of a counter's rate, learned online per clock hour (UTC): 168 hour-of-week slots,
// and hour-of-day slots (weekdays and weekends apart) as the fallback while a slot of the week has
// not been seen twice. A slot keeps its last three hours and its level is their median (the lower of
// two): one odd hour, a 3-hour surge or a partner's slow day, does not become next week's normal, as
// it did with an even blend ((2.5 + 1) / 2 = 1.75x after a surge). A slot seen once is not a season
// for a partial drop (success_drop lets it confirm a stop, as before).
import { indexAtOrBefore, type Track } from '../track.js';
import type { Entity } from './kind.js';

const HOUR = 3_600_000;
const WEEK_HOURS = 168;
/** Hours a slot remembers; its level is their median. */
const RECENT = 3;

export interface Season {
  /** Each slot's level (rate per ms, the median of its recent hours), -1 while unseen. */
  week: number[];
  day: number[];
  /** Each slot's last RECENT hourly rates, oldest first. Absent in snapshots from before them. */
  weekSeen?: number[][];
  daySeen?: number[][];
  /** The clock hour being accumulated (ms since epoch / HOUR), its count and covered time. */
  hour: number;
  count: number;
  spanMs: number;
  lastT: number;
  lastV: number;
  /** The hour being accumulated overlapped an active alert: it is not folded into the slots. */
  tainted?: boolean;
  /** Hours the season reads ahead (+1) or behind (-1) the clock: business hours moved (daylight
   *  saving) and the slots keep their own clock. Absent: 0. */
  offset?: number;
  /** The last FIT_HOURS folded hours: the root of the hour's count and of each candidate offset's slot. */
  fit?: Array<{ hour: number; root: number; slotRoots: number[] }>;
}

/** The offsets a shift is looked for among: daylight saving moves business hours by one hour. */
const OFFSETS = [-1, 0, 1] as const;
/** Hours of evidence a shift is judged on: a whole day, so one part of the day that fits another
 *  offset (a season learned partly before a shift) does not move it back and forth. */
const FIT_HOURS = 24;
/** A candidate offset must miss by less than this, in squared root-counts per hour summed (Poisson
 *  noise is about 0.35 an hour, 8 in a day; a shifted morning rise at 6 calls a minute, 40+)... */
const SHIFT_MARGIN = 12;
/** ...and by less than this share of the current offset's misfit (a surge misfits every offset). */
const SHIFT_RATIO = 0.5;

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
  noticeShift(s, hour, ratePerMs);
  const local = hour + (s.offset ?? 0);
  remember(s.week, (s.weekSeen ??= seenFrom(s.week)), local % WEEK_HOURS, ratePerMs);
  remember(s.day, (s.daySeen ??= seenFrom(s.day)), daySlot(local), ratePerMs);
}

/**
 * Business hours that moved by an hour (daylight saving; the slots are UTC) would leave every morning
 * rise and evening decline an hour off the season for weeks, and a later rise looks like a drop. So
 * each finished hour is compared with the hour-of-week slots one hour behind, at and ahead of the
 * season's current offset (once they have seen two weeks), in root counts (Poisson noise is the same
 * size at any rate there), over the last FIT_HOURS; the season moves to an offset that fits far
 * better. A flat series (a partner at 0.4 calls a minute round the clock) fits every offset alike and
 * never moves.
 */
function noticeShift(s: Season, hour: number, ratePerMs: number): void {
  const current = s.offset ?? 0;
  const root = Math.sqrt(Math.max(0, ratePerMs) * HOUR);
  const slotRoots: number[] = [];
  // Week slots only, each seen twice: the day slots' fallbacks (a weekday borrowing the weekend's, a
  // week slot standing in for a day one) mix levels within the day, which no single level fits, and
  // then some offset fits "better" by accident.
  for (const off of OFFSETS) {
    const w = (hour + current + off) % WEEK_HOURS;
    if (!learned(s.week, s.weekSeen, w, 2)) return;
    slotRoots.push(Math.sqrt(s.week[w]! * HOUR));
  }
  const fit = (s.fit ??= []);
  fit.push({ hour, root, slotRoots });
  while (fit.length > 0 && fit[0]!.hour <= hour - FIT_HOURS) fit.shift();
  if (fit.length < FIT_HOURS / 2) return;
  // The shape is compared, not the level: each candidate's slots are scaled by the one factor that
  // fits them best (least squares), so a partner ramping up or a month's growth misfits every offset
  // alike. What is left is how far the hours' shape is from the slots'.
  const misfit = OFFSETS.map((_, i) => {
    let xy = 0;
    let yy = 0;
    let xx = 0;
    for (const h of fit) {
      xy += h.root * h.slotRoots[i]!;
      yy += h.slotRoots[i]! ** 2;
      xx += h.root ** 2;
    }
    return yy > 0 ? xx - (xy * xy) / yy : xx;
  });
  const here = misfit[OFFSETS.indexOf(0)]!;
  let best = OFFSETS.indexOf(0);
  // Daylight saving moves business hours by one hour either way of the slots' own clock, no further.
  for (let i = 0; i < OFFSETS.length; i++) if (Math.abs(current + OFFSETS[i]!) <= 1 && misfit[i]! < misfit[best]!) best = i;
  if (OFFSETS[best] === 0) return;
  if (misfit[best]! + SHIFT_MARGIN < here && misfit[best]! < SHIFT_RATIO * here) {
    s.offset = current + OFFSETS[best]!;
    // The evidence was judged against the old offset: start afresh from the new one.
    s.fit = [];
  }
}

function remember(levels: number[], seen: number[][], slot: number, ratePerMs: number): void {
  const hours = seen[slot]!;
  hours.push(ratePerMs);
  if (hours.length > RECENT) hours.shift();
  levels[slot] = robustLevel(hours);
}

/** The median of three, the lower of two (an odd hour must not raise the normal), the one of one. */
function robustLevel(hours: readonly number[]): number {
  if (hours.length < 3) return Math.min(...hours);
  const [a, b, c] = hours as [number, number, number];
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

/** A snapshot saved before slots kept their hours: its blended level counts as seen twice (a blend is
 *  of one hour or more; the next folds replace it). */
function seenFrom(levels: readonly number[]): number[][] {
  return levels.map((v) => (v < 0 ? [] : [v, v]));
}

/**
 * The learned rate (per ms) now: this clock hour's slot, or the neighbouring hour's (the next one in
 * the second half of the hour, the previous one in the first) when that is lower. A slot is an hour's
 * average, and on the evening decline the end of the hour runs at half of it. `minSeen`: the hours a
 * slot must have seen to count (1 lets one odd day speak for the hour).
 */
export function seasonalRatePerMs(ent: Entity, nowMs: number, minSeen = 2): number | undefined {
  const s = ent.memo.season as Season | undefined;
  if (!s) return undefined;
  const hour = Math.floor(nowMs / HOUR);
  const here = slotRate(s, hour, minSeen);
  if (here === undefined) return undefined;
  const neighbour = slotRate(s, nowMs - hour * HOUR >= HOUR / 2 ? hour + 1 : hour - 1, minSeen);
  return neighbour === undefined ? here : Math.min(here, neighbour);
}

/** This hour of the week, else of a day of the same kind; a weekday hour may borrow the weekend's
 *  (lower, so the veto only gets stricter), never the other way round. A slot counts once it has seen
 *  `minSeen` hours; undefined before that. */
function slotRate(s: Season, clockHour: number, minSeen = 2): number | undefined {
  const hour = clockHour + (s.offset ?? 0);
  const w = hour % WEEK_HOURS;
  if (learned(s.week, s.weekSeen, w, minSeen)) return s.week[w];
  const slot = daySlot(hour);
  if (learned(s.day, s.daySeen, slot, minSeen)) return s.day[slot];
  if (slot >= 24) return undefined;
  return learned(s.day, s.daySeen, slot + 24, minSeen) ? s.day[slot + 24] : undefined;
}

function learned(levels: readonly number[], seen: number[][] | undefined, slot: number, minSeen: number): boolean {
  return levels[slot]! >= 0 && (seen === undefined || seen[slot]!.length >= minSeen);
}

/** Hour of day, weekend hours apart from weekday ones (1970-01-01 was a Thursday). */
function daySlot(hour: number): number {
  const dow = (Math.floor(hour / 24) + 4) % 7;
  return (dow === 0 || dow === 6 ? 24 : 0) + (hour % 24);
}

/** The season's rate at an instant, interpolated between the middles of its hours: the shape the
 *  recent level is carried along (a morning rise, an evening decline). Undefined where unlearned. */
export function seasonalShapeAt(ent: Entity, tMs: number): number | undefined {
  const s = ent.memo.season as Season | undefined;
  if (!s) return undefined;
  const x = tMs / HOUR - 0.5;
  const hour = Math.floor(x);
  const a = slotRate(s, hour);
  const b = slotRate(s, hour + 1);
  if (a === undefined || b === undefined) return undefined;
  return a + (b - a) * (x - hour);
}
