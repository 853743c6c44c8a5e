// An alert about a broken partner must stay firing for as long as the partner is broken, and resolve
// soon after it recovers: a RESOLVED while nothing succeeds tells Slack and the partner a lie. Replays
// of generated incidents (with the quiet fortnight's noise, in varied worlds) through the default pack.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../src/detect/types.ts';
import type { Rule } from '../../src/rules/types.ts';
import { defaultPack, replay } from './replay.ts';

let pack: readonly Rule[];
beforeAll(async () => {
  pack = await defaultPack();
});

const MIN = 60_000;

/** Each critical alert naming the incident's entity: when it fired and when it resolved (undefined: never). */
function incidentPages(events: readonly AlertEvent[], entities: ReadonlyArray<Readonly<Record<string, string>>>, fromMs: number): { id: string; firedMs: number; resolvedMs?: number }[] {
  const names = (e: AlertEvent): boolean => entities.some((ent) => Object.entries(ent).every(([k, v]) => e.labels[k] === v));
  const spans: { id: string; firedMs: number; resolvedMs?: number }[] = [];
  for (const e of events) {
    if (e.severity !== 'critical' || !names(e) || e.atMs < fromMs) continue;
    if (e.state === 'firing') spans.push({ id: e.id, firedMs: e.atMs });
    else if (e.state === 'resolved') {
      const open = spans.find((s) => s.id === e.id && s.resolvedMs === undefined);
      if (open) open.resolvedMs = e.atMs;
    }
  }
  return spans;
}

const CASES = [
  { scenario: 'success_drop', what: 'a 3-hour stop of successes', seeds: [51, 52, 53] },
  { scenario: 'error_code_shift', what: 'a partner failing every call for 6 to 10 hours, through the night', seeds: [55, 56, 57] },
] as const;

describe('pages about an ongoing incident', () => {
  for (const { scenario, what, seeds } of CASES) {
    for (const seed of seeds) {
      it(`stay firing through ${what} and resolve within 15 minutes of its end (seed ${seed}, noise, varied world)`, async () => {
        const r = await replay({ scenario, seed, days: 3, noise: true, vary: true }, pack);
        const incident = r.truth.incident!;
        const spans = incidentPages(r.events, incident.entities, incident.startMs - 60 * MIN);
        expect(spans.length, 'no page naming the incident').toBeGreaterThan(0);
        expect(spans[0]!.firedMs - incident.startMs).toBeLessThanOrEqual(incident.pageWithinMinutes * MIN);
        for (const span of spans) {
          const resolvedMin = span.resolvedMs === undefined ? undefined : (span.resolvedMs - incident.endMs) / MIN;
          expect(resolvedMin, `${span.id} never resolved`).toBeDefined();
          expect(resolvedMin!, `${span.id} resolved while the incident went on`).toBeGreaterThanOrEqual(0);
          expect(resolvedMin!, `${span.id} resolved late`).toBeLessThanOrEqual(15);
        }
      });
    }
  }
});
