// The slo_burn kind on generated traffic (seeded Poisson calls, binomial failures), through the
// default pack's own commented example: a fast burn pages within minutes, a burn just above 14.4x
// once the hour holds it, a slow burn is a ticket that never pages, a partner with a handful of
// calls never pages, a steady incident is one page, and a restart from a snapshot changes nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { openDetector } from '../../src/detect/index.ts';
import type { AlertEvent } from '../../src/detect/types.ts';
import type { Rule } from '../../src/rules/types.ts';
import { uncommentedSloPack } from '../support/slo-pack.ts';
import { MIN, rules, T0 } from './batches.ts';
import { sloScrapes, type PartnerScript } from './slo-series.ts';

let pack: Rule[];
beforeAll(async () => {
  pack = rules(await uncommentedSloPack());
});

const HOUR = 60;
const SEEDS = [1, 2, 3, 4, 5];

function run(scripts: readonly PartnerScript[], minutes: number, seed: number, intervalS = 60, rulesToRun: Rule[] = pack): AlertEvent[] {
  const detector = openDetector(rulesToRun);
  const events: AlertEvent[] = [];
  for (const b of sloScrapes(scripts, minutes, seed, intervalS)) events.push(...detector.step(b));
  return events;
}

/** The example with its traffic guard off (min_calls: 1). */
const withoutGuard = (): Rule[] => pack.map((r) => ({ ...r, minCalls: 1 }) as Rule);

const minute = (e: AlertEvent): number => (e.atMs - T0) / MIN;
const of = (events: readonly AlertEvent[], partner: string, kind: 'page' | 'ticket', state: AlertEvent['state']) =>
  events.filter((e) => e.labels.partner === partner && e.labels.slo_alert === kind && e.state === state);

/** 0.2x (a fifth of the budget) until `from`, then `burn` until `to`, then 0.2x again. */
const incident = (from: number, to: number, burn: number) => (m: number) => (m >= from && m < to ? burn : 0.2);

describe('slo_burn: pages', () => {
  for (const seed of SEEDS) {
    for (const intervalS of [15, 30, 60]) {
      it(`pages within 6 minutes when every call fails, once, and resolves after the end (seed ${seed}, ${intervalS}s scrapes)`, () => {
        const start = 8 * HOUR;
        const end = start + 2 * HOUR;
        const events = run([{ partner: 'acme', perMinute: 60, burn: incident(start, end, 200) }], end + 60, seed, intervalS);
        const fired = of(events, 'acme', 'page', 'firing');
        expect(fired).toHaveLength(1);
        expect(fired[0]!.severity).toBe('critical');
        expect(minute(fired[0]!) - start).toBeLessThanOrEqual(6);
        expect(minute(fired[0]!) - start).toBeGreaterThanOrEqual(3);
        // The 6h/30m pair fired too; the page resolves once the 5m window is below half of each pair's
        // burn, then keep_firing_for (5m): not after the half hour the 30m window takes to empty.
        const resolved = of(events, 'acme', 'page', 'resolved');
        expect(resolved).toHaveLength(1);
        expect(minute(resolved[0]!) - end).toBeGreaterThan(5);
        expect(minute(resolved[0]!) - end).toBeLessThanOrEqual(15);
      });
    }
  }

  for (const seed of SEEDS) {
    it(`pages a 20x burn once the 1h window holds 14.4x (about 43 minutes), and a 12x burn for 2 hours never (seed ${seed})`, () => {
      const start = 8 * HOUR;
      const events = run([
        { partner: 'fast', perMinute: 100, burn: incident(start, start + 2 * HOUR, 20) },
        { partner: 'slower', perMinute: 100, burn: incident(start, start + 2 * HOUR, 12) },
      ], start + 3 * HOUR, seed);
      const fired = of(events, 'fast', 'page', 'firing');
      expect(fired).toHaveLength(1);
      expect(minute(fired[0]!) - start).toBeGreaterThanOrEqual(35);
      expect(minute(fired[0]!) - start).toBeLessThanOrEqual(50);
      expect(of(events, 'slower', 'page', 'pending')).toEqual([]);
    });
  }

  for (const seed of SEEDS) {
    it(`stays one page through 6 hours of a burn that hovers around 14.4x (seed ${seed})`, () => {
      const start = 8 * HOUR;
      const end = start + 6 * HOUR;
      // 12x to 18x, changing every 10 minutes: the 5m window crosses 14.4x again and again.
      const hover = (m: number) => (m >= start && m < end ? 12 + 6 * ((Math.floor(m / 10) * 7) % 5) / 4 : 0.2);
      const events = run([{ partner: 'acme', perMinute: 80, burn: hover }], end + HOUR, seed);
      expect(of(events, 'acme', 'page', 'firing')).toHaveLength(1);
      const resolved = of(events, 'acme', 'page', 'resolved');
      expect(resolved).toHaveLength(1);
      expect(minute(resolved[0]!)).toBeGreaterThan(end);
    });
  }

  it('never pages a partner with a call every three minutes and one call in ten failing, which without min_calls pages', () => {
    // An hour at 20x: its 1h window burns above 14.4x, and one failed call of the one or two in a 5m
    // window is a burn of 100x or 200x; too few calls to judge that window. (Its 6h window stays below 6x.)
    const start = 8 * HOUR;
    const tiny = [{ partner: 'tiny', perMinute: 0.3, burn: incident(start, start + HOUR, 20) }];
    let pagedWithoutGuard = 0;
    for (const seed of SEEDS) {
      const events = run(tiny, start + 3 * HOUR, seed);
      expect(of(events, 'tiny', 'page', 'pending'), `seed ${seed}`).toEqual([]);
      expect(of(events, 'tiny', 'page', 'firing'), `seed ${seed}`).toEqual([]);
      if (of(run(tiny, start + 3 * HOUR, seed, 60, withoutGuard()), 'tiny', 'page', 'firing').length > 0) pagedWithoutGuard++;
    }
    expect(pagedWithoutGuard).toBeGreaterThanOrEqual(3);
  });

  for (const seed of SEEDS) {
    it(`reads windows longer than the history as burning nothing before it: an outage from the first minute pages within 6 minutes, 2 failures of the first 30 calls never (seed ${seed})`, () => {
      const events = run([
        { partner: 'down', perMinute: 60, burn: () => 200 },
        // 2 of the first 30 calls fail: 6.7%, 13x, over every window the first half hour has.
        { partner: 'new', perMinute: 1, burn: (m) => (m < 30 ? 13.4 : 0) },
      ], 3 * HOUR, seed);
      const fired = of(events, 'down', 'page', 'firing');
      expect(fired).toHaveLength(1);
      expect(minute(fired[0]!)).toBeLessThanOrEqual(6);
      expect(events.filter((e) => e.labels.partner === 'new')).toEqual([]);
    });
  }

  for (const seed of [1, 2, 3]) {
    it(`pages a partner with 2 calls a minute failing every call through the 6h/30m pair, and resolves within 2 hours of the end (seed ${seed})`, () => {
      const start = 8 * HOUR;
      const end = start + 2 * HOUR;
      const events = run([{ partner: 'small', perMinute: 2, burn: incident(start, end, 200) }], end + 3 * HOUR, seed);
      const fired = of(events, 'small', 'page', 'firing');
      expect(fired).toHaveLength(1);
      expect(fired[0]!.explain!.window).toBe('6h');
      expect(minute(fired[0]!) - start).toBeLessThanOrEqual(20);
      const resolved = of(events, 'small', 'page', 'resolved');
      expect(resolved).toHaveLength(1);
      expect(minute(resolved[0]!) - end).toBeGreaterThan(0);
      expect(minute(resolved[0]!) - end).toBeLessThanOrEqual(2 * HOUR);
    });
  }

  it('never pages nor tickets a partner well inside its objective for three days (0.5x, 15s scrapes)', () => {
    const events = run([{ partner: 'calm', perMinute: 40, burn: () => 0.5 }], 3 * 24 * HOUR, 7, 15);
    expect(events).toEqual([]);
  });
});

describe('slo_burn: tickets', () => {
  for (const seed of [1, 2, 3]) {
    it(`opens a ticket (a warning, never a page) when the budget burns at 2x for two days (seed ${seed})`, () => {
      const start = 24 * HOUR;
      const events = run([{ partner: 'acme', perMinute: 60, burn: (m) => (m >= start ? 2 : 0.2) }], start + 48 * HOUR, seed);
      const tickets = of(events, 'acme', 'ticket', 'firing');
      // One, or two when a day and more passed without a single failure (the evidence of a recovery).
      expect(tickets.length).toBeGreaterThanOrEqual(1);
      expect(tickets.length).toBeLessThanOrEqual(2);
      expect(tickets[0]!.severity).toBe('warning');
      // The 3d window, of which the first day was watched at 0.2x and the days not yet watched count as
      // burning nothing, holds 1x after about 34 hours at 2x.
      expect(minute(tickets[0]!) - start).toBeGreaterThan(31 * HOUR);
      expect(minute(tickets[0]!) - start).toBeLessThan(37 * HOUR);
      expect(events.filter((e) => e.labels.slo_alert === 'page')).toEqual([]);
    });
  }

  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`keeps a quiet partner burning 1.5x for five days to one or two tickets: a 6h window of 100 calls without a failure is no recovery (seed ${seed})`, () => {
      const events = run([{ partner: 'quiet', perMinute: 0.3, burn: () => 1.5 }], 5 * 24 * HOUR, seed);
      const tickets = of(events, 'quiet', 'ticket', 'firing');
      // One, or two when a day and more passed without a single failure (the evidence of a recovery).
      expect(tickets.length).toBeGreaterThanOrEqual(1);
      expect(tickets.length).toBeLessThanOrEqual(2);
    });
  }
});

describe('slo_burn: explain and restart', () => {
  it('explains a page: the long window, each window\'s burn, the objective, its budget and the exit level', () => {
    const start = 8 * HOUR;
    const events = run([{ partner: 'acme', perMinute: 60, burn: incident(start, start + HOUR, 200) }], start + 2 * HOUR, 1);
    const fired = of(events, 'acme', 'page', 'firing')[0]!;
    expect(fired.id).toBe('partner_slo_burn{partner="acme",slo_alert="page"}');
    expect(fired.summary).toMatch(/^acme burns its error budget \d+(\.\d+)?x faster than its objective allows \(page\)$/);
    const e = fired.explain!;
    expect(e.window).toBe('1h');
    expect(e.objective).toBe(0.995);
    expect(e.errorBudget).toBeCloseTo(0.005, 12);
    expect(e.upper).toBe(14.4);
    expect(e.exit).toBeCloseTo(7.2, 9);
    expect(Object.keys(e.burnRates!).sort()).toEqual(['1h', '30m', '3d', '5m', '6h'].sort());
    expect(e.burnRates!['5m']).toBeGreaterThan(100);
    expect(e.observed).toBeGreaterThan(14.4);
    expect(e.count! / e.total! / 0.005).toBeCloseTo(e.observed, 6);
    expect(e.reference).toMatch(/error budget 0\.5% of calls over 30d \(objective 99\.5%\); page above 14\.4x over 1h and 5m/);
  });

  it('resumes from a snapshot mid-incident: the same events as a detector that never stopped, and the same measure', () => {
    const start = 8 * HOUR;
    const scripts = [{ partner: 'acme', perMinute: 60, burn: incident(start, start + 2 * HOUR, 30) }];
    const straight = openDetector(pack);
    let resumed = openDetector(pack);
    const a: AlertEvent[] = [];
    const b: AlertEvent[] = [];
    for (const batch of sloScrapes(scripts, start + 3 * HOUR, 9)) {
      a.push(...straight.step(batch));
      b.push(...resumed.step(batch));
      const m = (batch.atMs - T0) / MIN;
      // Restarts: in the healthy hours, while pending or firing, and in keep_firing_for.
      if (m % 97 === 0) resumed = openDetector(pack, JSON.parse(JSON.stringify(resumed.snapshot())));
    }
    expect(b).toEqual(a);
    expect(of(a, 'acme', 'page', 'firing')).toHaveLength(1);
    const labels = { partner: 'acme', slo_alert: 'page' };
    const now = T0 + (start + 3 * HOUR) * MIN;
    expect(resumed.measure('partner_slo_burn', labels, now)).toEqual(straight.measure('partner_slo_burn', labels, now));
  });

  it('keeps bounded state: 3 days of 15s scrapes hold at most about a point a minute for the hour and one per 5 minutes for 3 days', () => {
    const detector = openDetector(pack);
    for (const b of sloScrapes([{ partner: 'acme', perMinute: 60, burn: () => 0.2 }], 4 * 24 * HOUR, 3, 15)) detector.step(b);
    const state = detector.snapshot() as unknown as { detector: { rules: Record<string, { entities: Record<string, { fine: Record<string, { t: number[] }>; coarse: Record<string, { t: number[] }> }> }> } };
    const entity = Object.values(state.detector.rules.partner_slo_burn!.entities)[0]!;
    for (const track of Object.values(entity.fine)) expect(track.t.length).toBeLessThanOrEqual(62 * 4 + 10);
    for (const track of Object.values(entity.coarse)) expect(track.t.length).toBeLessThanOrEqual(3 * 288 + 2 + 10);
  });
});
