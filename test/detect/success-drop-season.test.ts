// success_drop at a few calls a minute on a day's shape (issue 11): a partial drop on the morning rise
// pages within 30 minutes, and an evening decline does not page in a week after a surge, when the
// surge's hours are the hour-of-week normal. Poisson counts from a seeded generator, the default pack.
import { beforeAll, describe, expect, it } from 'vitest';
import { openDetector } from '../../src/detect/index.ts';
import type { AlertEvent } from '../../src/detect/types.ts';
import type { Rule } from '../../src/rules/types.ts';
import { Rng } from '../../src/simulate/recording-random.ts';
import { batch, MIN, sample, T0 } from './batches.ts';
import { defaultPack } from './replay.ts';

const DAY = 1440;
const labels = { partner: 'acme_ehr', operation: 'POST /check-ins', outcome: 'success' };

let pack: Rule[];
beforeAll(async () => {
  pack = (await defaultPack()).filter((r) => r.name === 'partner_success_drop');
});

/** Calls a minute at `peak` on a business day's curve: a rise from 06:00, a steep decline to 21:00. */
function businessRate(minute: number, peak: number): number {
  const h = (minute % DAY) / 60;
  const bump = h > 6 && h < 21 ? Math.pow(Math.sin((Math.PI * (h - 6)) / 15), 1.5) : 0;
  return peak * (0.05 + 0.95 * bump);
}

/** Minute scrapes of one success counter; `factor(minute)` scales the day's rate. */
function run(minutes: number, peak: number, factor: (m: number) => number, seed: number): AlertEvent[] {
  const rng = new Rng(seed);
  const detector = openDetector(pack);
  const events: AlertEvent[] = [];
  let total = 0;
  for (let m = 0; m < minutes; m++) {
    total += rng.poisson(businessRate(m, peak) * factor(m));
    events.push(...detector.step(batch(T0 + m * MIN, [sample('integration_requests_total', labels, total, T0 + m * MIN)])));
  }
  return events;
}

const pages = (events: readonly AlertEvent[]): AlertEvent[] => events.filter((e) => e.state === 'firing' && e.severity === 'critical');

describe('success_drop at a few calls a minute', () => {
  // Thursday 09:30 (T0 is a Monday): successes fall to 40 % at about 6 calls a minute, still rising.
  const dropAt = 3 * DAY + 570;
  for (const seed of [1, 2, 3]) {
    it(`pages a drop to 40 % on the morning rise within 30 minutes (seed ${seed})`, () => {
      const events = run(dropAt + 120, 10, (m) => (m >= dropAt ? 0.4 : 1), seed);
      const found = pages(events);
      expect(found.length, 'no page').toBe(1);
      expect((found[0]!.atMs - T0) / MIN - dropAt).toBeLessThanOrEqual(30);
      expect(found[0]!.explain?.pValue).toBeLessThan(1e-5);
    });
  }

  for (const seed of [4, 5, 6]) {
    it(`pages no evening decline in the two weeks after a 3-hour 2.5x surge on the first Monday evening (seed ${seed})`, () => {
      const surge = (m: number): number => (m >= 17 * 60 + 40 && m < 20 * 60 + 40 ? 2.5 : 1);
      expect(pages(run(15 * DAY, 15, surge, seed))).toEqual([]);
    });
  }
});
