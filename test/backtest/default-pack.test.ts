// The default pack against replays of our postmortems (test/support/recording-generator.ts), over
// several seeds, each with the quiet fortnight's noise mixed in: every incident paged in time, naming
// the right entity, and nothing else paged. The full seed sweep lives in bench/ and docs/rules.md.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Rule } from '../../src/rules/types.ts';
import { defaultPack, falsePages, minutesToPage, replay } from '../detect/replay.ts';

let pack: readonly Rule[];
beforeAll(async () => {
  pack = await defaultPack();
});

// One seed of the standard world and one of a varied world (`vary`: other rates, latencies, error
// levels, night and weekend shapes, counters already above 0) per scenario.
const INCIDENTS = [
  { scenario: 'error_code_shift', what: 'pages within 10 minutes of a partner changing its error code at night', seeds: [31, 101] },
  { scenario: 'query_timeout', what: 'pages within 15 minutes of a database operation starting to time out', seeds: [33, 102] },
  { scenario: 'success_drop', what: 'pages within 20 minutes of an operation\'s successes stopping in business hours', seeds: [35, 103] },
  { scenario: 'zones_unhealthy', what: 'pages within 10 minutes of two of three zones reporting unhealthy routing flows', seeds: [37, 104] },
] as const;
const VARIED = new Set<number>([101, 102, 103, 104]);

describe('the default rule pack', () => {
  for (const { scenario, what, seeds } of INCIDENTS) {
    for (const seed of seeds) {
      const vary = VARIED.has(seed);
      it(`${what} (seed ${seed}${vary ? ', varied world' : ''}), and pages nothing else`, async () => {
        const r = await replay({ scenario, seed, days: 3, noise: true, vary }, pack);
        const incident = r.truth.incident!;
        const minutes = minutesToPage(r);
        expect(minutes, `no page naming ${JSON.stringify(incident.entities)}`).toBeDefined();
        expect(minutes!).toBeLessThanOrEqual(incident.pageWithinMinutes);
        expect(minutes!).toBeGreaterThanOrEqual(0);
        expect(falsePages(r).map((p) => `${p.rule}${JSON.stringify(p.labels)}@${p.at}`)).toEqual([]);
      });
    }
  }

  it('pages on nothing in a quiet fortnight: restart, scrape gap, deploy blips, surge, nights, weekends, zone blips, a 0.4/min partner', async () => {
    const r = await replay({ scenario: 'quiet_fortnight', seed: 41, days: 14 }, pack);
    const kinds = new Set(r.truth.noise.map((n) => n.kind));
    expect([...kinds].sort()).toEqual(['deploy_blip', 'restart', 'scrape_gap', 'surge', 'zone_blip']);
    expect(r.pages.map((p) => `${p.rule}${JSON.stringify(p.labels)}@${p.at}`)).toEqual([]);
    // 14 days of samples: about 20 s alone on 2 cores, more while the rest of the suite runs beside it.
  }, 120_000);
});
