// The season notices business hours that moved by an hour (daylight saving; src/detect/kinds/seasonal.ts):
// three weeks of a business day, then the same day an hour later on the UTC clock, and the season reads
// its slots an hour behind within a day. Growth, a partner ramping up and a flat series never move it.
import { describe, expect, it } from 'vitest';
import type { Entity } from '../../src/detect/kinds/kind.ts';
import { learnSeason, seasonalRatePerMs, type Season } from '../../src/detect/kinds/seasonal.ts';
import type { Track } from '../../src/detect/track.ts';
import { Rng } from '../../src/simulate/recording-random.ts';

const MIN = 60_000;
const DAY_MIN = 1440;
const T0 = Date.UTC(2026, 2, 2); // a Monday

/** Calls a minute on a business day's curve (UTC hours), `peak` at mid-afternoon, 5 % at night. */
function businessRate(minuteOfDay: number, peak: number): number {
  const h = minuteOfDay / 60;
  const bump = h > 6 && h < 21 ? Math.pow(Math.sin((Math.PI * (h - 6)) / 15), 1.5) : 0;
  return peak * (0.05 + 0.95 * bump);
}

/** Feeds `days` of minute counts into one entity's season; `rate(minute)` gives calls a minute. */
function learn(days: number, rate: (minute: number) => number, seed: number, onDay?: (day: number, season: Season, ent: Entity) => void): Entity {
  const rng = new Rng(seed);
  const track: Track = { t: [], v: [] };
  const ent: Entity = { labels: {}, firstMs: T0, lastSeenMs: T0, cum: {}, fine: { __total: track }, coarse: {}, lastCoarseMs: 0, memo: {} };
  let total = 0;
  for (let m = 0; m < days * DAY_MIN; m++) {
    total += rng.poisson(rate(m));
    const t = T0 + m * MIN;
    track.t.push(t);
    track.v.push(total);
    // The entity keeps a short fine track; the season reads only the last sample.
    if (track.t.length > 120) { track.t.shift(); track.v.shift(); }
    learnSeason(ent, track, t);
    if (m % DAY_MIN === DAY_MIN - 1) onDay?.(Math.floor(m / DAY_MIN), ent.memo.season as Season, ent);
  }
  return ent;
}

const offsetOf = (ent: Entity): number => (ent.memo.season as Season).offset ?? 0;

describe('the season after daylight saving', () => {
  it.each([1, 2, 3])('reads its slots an hour behind within a day of business hours moving an hour later (seed %i)', (seed) => {
    const shiftDay = 21;
    const offsets: number[] = [];
    const ent = learn(24, (m) => businessRate((m % DAY_MIN) - (m >= shiftDay * DAY_MIN ? 60 : 0) + (m % DAY_MIN < 60 && m >= shiftDay * DAY_MIN ? DAY_MIN : 0), 6), seed, (_day, _s, e) => offsets.push(offsetOf(e)));
    expect(offsets.slice(0, shiftDay)).toEqual(new Array(shiftDay).fill(0));
    expect(offsets[shiftDay]).toBe(-1);
    expect(offsetOf(ent)).toBe(-1);
    // 07:30 UTC is now 06:30 of the business day: the season expects the early morning, not the rise.
    const at = T0 + 23 * DAY_MIN * MIN + 7.5 * 60 * MIN;
    const expected = seasonalRatePerMs(ent, at)! * MIN;
    expect(expected).toBeLessThan(businessRate(7.5 * 60, 6) * 0.8);
  });

  it('stays put through a month of growth and a partner ramping up from a fifth of its traffic', () => {
    const ent = learn(28, (m) => businessRate(m % DAY_MIN, 6) * (1 + m / (28 * DAY_MIN)) * Math.min(1, 0.2 + m / (7 * DAY_MIN)), 4);
    expect(offsetOf(ent)).toBe(0);
  });

  it('stays put for a partner at 0.4 calls a minute round the clock', () => {
    expect(offsetOf(learn(21, () => 0.4, 5))).toBe(0);
  });
});
