// A query that creeps slower until it times out (issue 11): its first timeouts page at once when the
// calls that did not time out already take most of the timeout (the shipped `db_operation_timeouts`),
// the same timeouts of a fast query do not, and once the calls are fast again it resolves, at night too.
import { describe, expect, it } from 'vitest';
import { openDetector } from '../../src/detect/index.ts';
import type { AlertEvent } from '../../src/model/index.ts';
import { loadRules } from '../../src/rules/index.ts';
import { batch, MIN, sample, steadyCounts, T0 } from './batches.ts';

const loaded = await loadRules(new URL('../../rules/database.yaml', import.meta.url).pathname);
if (!loaded.ok) throw new Error('rules/database.yaml does not load');
const pack = loaded.rules.filter((r) => r.name === 'db_operation_timeouts');

const NAME = 'db_client_operation_duration_seconds';
const LABELS = { db_operation_name: 'associate_submitter', db_system_name: 'postgresql' };
const TIMEOUT_LABELS = { ...LABELS, error_type: 'timeout' };
const TIMEOUT_S = 30;

interface Day {
  /** Calls a minute, mean seconds of the calls that did not time out, and whether this minute has a timeout. */
  perMin: number;
  seconds: (minute: number) => number;
  timeoutAt: (minute: number) => boolean;
}

/** Two quiet days, then `incidentMinutes` of the `incident` world, then the healthy one again. */
function replay(incident: Day, incidentMinutes: number, after: Day): AlertEvent[] {
  const detector = openDetector(pack);
  const events: AlertEvent[] = [];
  let calls = 0;
  let seconds = 0;
  let timeouts = 0;
  const quietMinutes = 2 * 24 * 60;
  const total = quietMinutes + incidentMinutes + 90;
  const healthy: Day = { perMin: incident.perMin, seconds: () => 0.05, timeoutAt: () => false };
  const counts = steadyCounts(incident.perMin);
  for (let m = 0; m < total; m++) {
    const world = m < quietMinutes ? healthy : m < quietMinutes + incidentMinutes ? incident : after;
    const n = counts();
    const timedOut = world.timeoutAt(m - quietMinutes) && n > 0 ? 1 : 0;
    calls += n - timedOut;
    seconds += (n - timedOut) * world.seconds(m - quietMinutes);
    timeouts += timedOut;
    const at = T0 + m * MIN;
    const samples = [sample(`${NAME}_count`, LABELS, calls, at), sample(`${NAME}_sum`, LABELS, seconds, at)];
    if (timeouts > 0) samples.push(sample(`${NAME}_count`, TIMEOUT_LABELS, timeouts, at), sample(`${NAME}_sum`, TIMEOUT_LABELS, timeouts * TIMEOUT_S, at));
    events.push(...detector.step(batch(at, samples)));
  }
  return events;
}

const START = T0 + 2 * 24 * 60 * MIN;
const minutesAfterStart = (e: AlertEvent | undefined): number => (e ? (e.atMs - START) / MIN : Infinity);
/** A timeout every 20 minutes from minute 3: one in 40 calls at 2 a minute (2.5 %). */
const everyTwenty = (minute: number): boolean => minute % 20 === 3;

describe('db_operation_timeouts on a query creeping into its timeout', () => {
  it('pages at its first timeout when the other calls take 24 s of a 30 s timeout, and resolves once they are fast again', () => {
    const events = replay({ perMin: 2, seconds: () => 24, timeoutAt: everyTwenty }, 120, { perMin: 2, seconds: () => 0.05, timeoutAt: () => false });
    const fired = events.filter((e) => e.state === 'firing');
    expect(fired).toHaveLength(1);
    // The first timeout at minute 3, `for: 1m`.
    expect(minutesAfterStart(fired[0])).toBeLessThanOrEqual(6);
    expect(fired[0]!.explain?.count).toBe(1);
    const resolved = events.find((e) => e.state === 'resolved');
    // The last timeout at minute 103; 2 calls a minute, none timing out, all fast again from minute 120.
    expect(minutesAfterStart(resolved) - 120).toBeLessThanOrEqual(15);
  });

  it('stays quiet for the same timeouts of a query that runs in 50 ms (stray lock timeouts)', () => {
    const events = replay({ perMin: 2, seconds: () => 0.05, timeoutAt: everyTwenty }, 120, { perMin: 2, seconds: () => 0.05, timeoutAt: () => false });
    expect(events.filter((e) => e.state === 'firing')).toEqual([]);
  });

  it('needs the share to reach floor_ratio: one timeout in 150 calls of a busy slow query is under 2 %', () => {
    const events = replay({ perMin: 10, seconds: () => 24, timeoutAt: (m) => m === 3 }, 60, { perMin: 10, seconds: () => 0.05, timeoutAt: () => false });
    expect(events.filter((e) => e.state === 'firing')).toEqual([]);
  });

  it('at a call every 5 minutes, resolves on its fast calls within 15 minutes of the end (too few to be improbable at its share)', () => {
    // Night: a query every 5 minutes, slow; a timeout each hour, then fast again.
    const events = replay({ perMin: 1 / 5, seconds: () => 24, timeoutAt: (m) => m % 60 < 5 }, 120, { perMin: 1 / 5, seconds: () => 0.05, timeoutAt: () => false });
    const fired = events.filter((e) => e.state === 'firing');
    expect(fired).toHaveLength(1);
    const resolved = events.find((e) => e.state === 'resolved');
    expect(resolved).toBeDefined();
    expect(minutesAfterStart(resolved) - 120).toBeLessThanOrEqual(15);
  });
});
