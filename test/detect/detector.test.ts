import { describe, expect, it } from 'vitest';
import { openDetector } from '../../src/detect/index.ts';
import type { AlertEvent, Sample, SampleBatch } from '../../src/detect/types.ts';
import type { Rule } from '../../src/rules/types.ts';
import { batch, MIN, rules, sample, steadyCounts, T0 } from './batches.ts';

/** Runs `minutes` one-minute scrapes; `scrape(minute, t)` returns that minute's samples (or null: no scrape). */
function runMinutes(pack: Rule[], minutes: number, scrape: (minute: number, t: number) => Sample[] | null): AlertEvent[] {
  const detector = openDetector(pack);
  const events: AlertEvent[] = [];
  for (let m = 0; m < minutes; m++) {
    const t = T0 + m * MIN;
    const samples = scrape(m, t);
    if (samples) events.push(...detector.step(batch(t, samples)));
  }
  return events;
}

const at = (e: AlertEvent): number => (e.atMs - T0) / MIN;

const RATE_BOUNDS = rules(`
rules:
  - name: too_fast
    kind: threshold
    select: requests_total
    by: [partner]
    rate_window: 5m
    op: '>'
    value: 1.5
    for: 0
    severity: critical
    summary: fast
  - name: too_slow
    kind: threshold
    select: requests_total
    by: [partner]
    rate_window: 5m
    op: '<'
    value: 0.5
    for: 0
    severity: critical
    summary: slow
`);

describe('counters, gaps, stale and new series', () => {
  it('reads a process restart as a counter starting from zero: no negative rate, no spike', () => {
    let value = 5000;
    const events = runMinutes(RATE_BOUNDS, 90, (m, t) => {
      value = m === 40 ? 60 : value + 60; // restart: back to 0, then one minute of calls
      return [sample('requests_total', { partner: 'acme' }, value, t)];
    });
    expect(events).toEqual([]);
  });

  it('spreads the increase over a 10-minute scrape gap instead of reading a spike or a drop', () => {
    let value = 0;
    const events = runMinutes(RATE_BOUNDS, 90, (m, t) => {
      value += 60;
      return m >= 40 && m < 50 ? null : [sample('requests_total', { partner: 'acme' }, value, t)];
    });
    expect(events).toEqual([]);
  });

  it('does not read a new series that appears above zero as a spike', () => {
    let late = 250_000;
    const events = runMinutes(RATE_BOUNDS, 60, (m, t) => {
      const out = [sample('requests_total', { partner: 'acme' }, 1000 + m * 60, t)];
      if (m >= 30) out.push(sample('requests_total', { partner: 'newcomer' }, (late += 60), t));
      return out;
    });
    expect(events).toEqual([]);
  });

  it('stops evaluating a series gone for over 5 minutes and resolves its alert at once', () => {
    const pack = rules(`
rules:
  - name: deep_queue
    kind: threshold
    select: queue_depth
    by: [queue]
    op: '>'
    value: 10
    for: 0
    keep_firing_for: 1h
    severity: warning
    summary: deep
`);
    const events = runMinutes(pack, 30, (m, t) => {
      const out = [sample('queue_depth', { queue: 'other' }, 1, t)];
      if (m < 10) out.push(sample('queue_depth', { queue: 'lab_results' }, 20, t));
      return out;
    });
    expect(events.map((e) => `${at(e)}:${e.state}:${e.labels.queue}`)).toEqual(['0:firing:lab_results', '15:resolved:lab_results']);
  });
});

const CODE_SHIFT = rules(`
rules:
  - name: partner_error_code_shift
    kind: error_code_shift
    select: integration_requests_total
    by: [partner]
    severity: critical
    summary: '{{ $labels.partner }} answers {{ $labels.error_code }} to {{ $value | humanizePercentage }} of calls'
`);

describe('error_code_shift', () => {
  it('pages within minutes when a partner starts answering a code it never sent, naming partner and code', () => {
    const ok = steadyCounts(2); // a night: two calls a minute
    let okTotal = 0;
    let forbidden = 0;
    const events = runMinutes(CODE_SHIFT, 200, (m, t) => {
      const out = [];
      if (m < 150) okTotal += ok();
      else forbidden += ok();
      out.push(sample('integration_requests_total', { partner: 'acme_ehr', operation: 'GET /x', outcome: 'success' }, okTotal, t));
      if (forbidden > 0) out.push(sample('integration_requests_total', { partner: 'acme_ehr', operation: 'GET /x', outcome: 'client_error', error_code: '403' }, forbidden, t));
      return out;
    });
    const firing = events.find((e) => e.state === 'firing');
    expect(firing?.labels).toEqual({ partner: 'acme_ehr', error_code: '403' });
    expect(at(firing!) - 150).toBeLessThanOrEqual(5);
    expect(firing?.summary).toMatch(/^acme_ehr answers 403 to \d+% of calls$/);
    expect(events.filter((e) => at(e) < 150)).toEqual([]);
  });

  it('learns a code a partner always answered, even from a recording that starts mid-failure (warm-up)', () => {
    const calls = steadyCounts(10);
    let ok = 0;
    let failed = 0;
    const events = runMinutes(CODE_SHIFT, 300, (m, t) => {
      const n = calls();
      failed += Math.round(n * 0.4);
      ok += n - Math.round(n * 0.4);
      return [
        sample('integration_requests_total', { partner: 'p', outcome: 'success' }, ok, t),
        sample('integration_requests_total', { partner: 'p', outcome: 'server_error', error_code: '500' }, failed, t),
      ];
    });
    expect(events).toEqual([]);
  });
});

describe('success_drop', () => {
  const pack = rules(`
rules:
  - name: partner_success_drop
    kind: success_drop
    select: integration_requests_total{outcome="success"}
    by: [partner, operation]
    for: 3m
    severity: critical
    summary: '{{ $labels.partner }} successes at {{ $value | humanizePercentage }} of normal'
`);
  const DAY = 1440;
  it('pages when a busy operation stops succeeding, and never for a partner with 0.4 calls a minute', () => {
    const busy = steadyCounts(20);
    const quiet = steadyCounts(0.4);
    let b = 0;
    let q = 0;
    // A day to learn each hour's normal, then the stop at 03:00 on the second day.
    const events = runMinutes(pack, DAY + 240, (m, t) => {
      if (m < DAY + 180) b += busy();
      if (m < DAY + 120) q += quiet();
      return [
        sample('integration_requests_total', { partner: 'busy', operation: 'POST /check-ins', outcome: 'success' }, b, t),
        sample('integration_requests_total', { partner: 'registry', operation: 'POST /immunizations', outcome: 'success' }, q, t),
      ];
    });
    const firing = events.filter((e) => e.state === 'firing');
    expect(firing.map((e) => e.labels)).toEqual([{ partner: 'busy', operation: 'POST /check-ins' }]);
    expect(at(firing[0]!) - DAY - 180).toBeLessThanOrEqual(20);
  });

  it('in an hour it has never seen, pages a full stop but not a steep fall', () => {
    const busy = steadyCounts(20);
    const falling = steadyCounts(20);
    const trickle = steadyCounts(1);
    let b = 0;
    let f = 0;
    const events = runMinutes(pack, 240, (m, t) => {
      if (m < 180) b += busy();
      f += m < 180 ? falling() : trickle(); // 95% fewer successes, but never none
      return [
        sample('integration_requests_total', { partner: 'busy', operation: 'POST /check-ins', outcome: 'success' }, b, t),
        sample('integration_requests_total', { partner: 'falling', operation: 'GET /x', outcome: 'success' }, f, t),
      ];
    });
    const firing = events.filter((e) => e.state === 'firing');
    expect(firing.map((e) => e.labels.partner)).toEqual(['busy']);
    expect(at(firing[0]!) - 180).toBeLessThanOrEqual(20);
  });

  it('stays firing through a 3-hour stop and resolves within 15 minutes of successes returning; the stop is not learned as the hour\'s normal', () => {
    const busy = steadyCounts(20);
    let b = 0;
    // Two days to learn every hour, the stop from 10:00 to 13:00 on the third day, then the same
    // stop at the same hours on the fourth: the hours of the first stop must not have become normal.
    const stopped = (m: number): boolean => (m % DAY) >= 600 && (m % DAY) < 780 && m >= 2 * DAY;
    const detector = openDetector(pack);
    const events: AlertEvent[] = [];
    for (let m = 0; m < 3 * DAY + 900; m++) {
      const t = T0 + m * MIN;
      if (!stopped(m)) b += busy();
      events.push(...detector.step(batch(t, [sample('integration_requests_total', { partner: 'busy', operation: 'POST /check-ins', outcome: 'success' }, b, t)])));
      if (m === 3 * DAY) {
        // Every weekday 10:00-12:00 slot still holds 20 successes a minute: the stop's hours were not blended in.
        const json = JSON.parse(JSON.stringify(detector.snapshot())) as { detector: { rules: Record<string, { entities: Record<string, { memo: { season: { day: number[] } } }> }> } };
        const [entity] = Object.values(json.detector.rules.partner_success_drop!.entities);
        for (const hour of [10, 11, 12]) expect(entity!.memo.season.day[hour]! * MIN).toBeCloseTo(20, 0);
      }
    }
    const spans = events.filter((e) => e.state !== 'pending').map((e) => `${e.state}@${at(e) % DAY}`);
    expect(spans.length).toBe(4);
    for (const day of [0, 1]) {
      const [fired, resolved] = [spans[2 * day]!, spans[2 * day + 1]!];
      expect(fired).toMatch(/^firing@/);
      expect(Number(fired.split('@')[1]) - 600).toBeLessThanOrEqual(20);
      expect(resolved).toMatch(/^resolved@/);
      const after = Number(resolved.split('@')[1]) - 780;
      expect(after).toBeGreaterThanOrEqual(0);
      expect(after).toBeLessThanOrEqual(15);
    }
    // While firing, the value (observed / frozen expectation) stays at 0: the zeros never became normal.
    const resolved = events.filter((e) => e.state === 'resolved');
    expect(resolved.every((e) => e.peak === 0)).toBe(true);
  });
});

describe('alerts judged against a frozen normal', () => {
  const pack = rules(`
rules:
  - name: partner_error_code_shift
    kind: error_code_shift
    select: integration_requests_total
    by: [partner]
    window: 10m
    for: 1m
    keep_firing_for: 5m
    severity: critical
    summary: '{{ $labels.partner }} answers {{ $labels.error_code }}'
`);
  it('keeps an error-code page firing through night hours with one call in ten minutes, and resolves once calls succeed again', () => {
    const day = steadyCounts(10);
    let ok = 0;
    let bad = 0;
    // A day of successes, then from 26:00 every call fails for 6 hours, at first 10 a minute, from
    // 27:00 one call every 12 minutes (a night), then successes again at 10 a minute.
    const start = 1560;
    const end = start + 360;
    const events = runMinutes(pack, end + 60, (m, t) => {
      const calls = m >= start + 60 && m < end ? (m % 12 === 0 ? 1 : 0) : day();
      if (m >= start && m < end) bad += calls;
      else ok += calls;
      return [
        sample('integration_requests_total', { partner: 'acme', operation: 'GET /x', outcome: 'success', error_code: '' }, ok, t),
        ...(bad > 0 ? [sample('integration_requests_total', { partner: 'acme', operation: 'GET /x', outcome: 'client_error', error_code: '403' }, bad, t)] : []),
      ];
    });
    const pages = events.filter((e) => e.state !== 'pending').map((e) => `${e.state}@${at(e)}`);
    expect(pages).toHaveLength(2);
    expect(pages[0]).toMatch(/^firing@/);
    expect(Number(pages[0]!.split('@')[1]) - start).toBeLessThanOrEqual(10);
    expect(pages[1]).toMatch(/^resolved@/);
    const after = Number(pages[1]!.split('@')[1]) - end;
    expect(after).toBeGreaterThanOrEqual(0);
    expect(after).toBeLessThanOrEqual(15);
  });
});

describe('routing_flows', () => {
  const pack = rules(`
rules:
  - name: zones
    kind: routing_flows
    select: integration_routing_flows
    by: [zone]
    for: 3m
    severity: critical
    summary: zone {{ $labels.zone }}
`);
  const flows = (t: number, unhealthy: Record<string, number>): Sample[] =>
    ['a', 'b', 'c'].flatMap((zone) => [
      sample('integration_routing_flows', { zone, state: 'healthy' }, 10 - (unhealthy[zone] ?? 0), t),
      sample('integration_routing_flows', { zone, state: 'unhealthy' }, unhealthy[zone] ?? 0, t),
    ]);

  it('lets a 2-minute blip in one zone pass, and pages for both zones when two are unhealthy', () => {
    const events = runMinutes(pack, 60, (m, t) => {
      if (m >= 10 && m < 12) return flows(t, { a: 5 });
      if (m >= 30 && m < 45) return flows(t, { a: 5, c: 6 });
      return flows(t, {});
    });
    expect(events.filter((e) => e.state === 'firing').map((e) => `${at(e)}:${e.labels.zone}`)).toEqual(['33:a', '33:c']);
    expect(events.filter((e) => at(e) < 30)).toEqual([]);
  });
});

describe('queue_backlog', () => {
  it('pages when the oldest pending event is older than 15 minutes', () => {
    const pack = rules(`
rules:
  - name: queue_backlog
    kind: queue_backlog
    select: integration_queue_events_total
    for: 5m
    severity: critical
    summary: queue {{ $labels.queue }} stuck {{ $value | humanizeDuration }}
`);
    const events = runMinutes(pack, 60, (m, t) => [
      sample('integration_queue_pending_events', { queue: 'registrations' }, m < 20 ? 0 : m - 19, t),
      sample('integration_queue_oldest_pending_age_seconds', { queue: 'registrations' }, m < 20 ? 0 : (m - 19) * 60, t),
    ]);
    const firing = events.find((e) => e.state === 'firing');
    expect(firing?.labels).toEqual({ queue: 'registrations' });
    expect(at(firing!)).toBe(19 + 15 + 5);
    expect(firing?.summary).toBe('queue registrations stuck 20m');
  });
});

/** Both state tests replay the same scrapes: 3 calls a minute to acme, all answered 400 from minute 150 on. */
function acmeStartsAnswering400(): SampleBatch[] {
  const scrapes: SampleBatch[] = [];
  const ok = steadyCounts(3);
  let okTotal = 0;
  let bad = 0;
  for (let m = 0; m < 200; m++) {
    if (m < 150) okTotal += ok();
    else bad += ok();
    const t = T0 + m * MIN;
    const samples = [sample('integration_requests_total', { partner: 'acme', outcome: 'success' }, okTotal, t)];
    if (bad > 0) samples.push(sample('integration_requests_total', { partner: 'acme', outcome: 'client_error', error_code: '400' }, bad, t));
    scrapes.push(batch(t, samples));
  }
  return scrapes;
}

describe('detector state', () => {
  it('is plain JSON: a run restored from a JSON copy mid-incident emits exactly what an uninterrupted run does', () => {
    const scrapes = acmeStartsAnswering400();
    const straight: AlertEvent[] = [];
    const uninterrupted = openDetector(CODE_SHIFT);
    for (const b of scrapes) straight.push(...uninterrupted.step(b));
    const restored: AlertEvent[] = [];
    let detector = openDetector(CODE_SHIFT);
    for (const [i, b] of scrapes.entries()) {
      if (i === 152) detector = openDetector(CODE_SHIFT, JSON.parse(JSON.stringify(detector.snapshot()))); // a restart while pending
      restored.push(...detector.step(b));
    }
    expect(straight.some((e) => e.state === 'firing')).toBe(true);
    expect(restored).toEqual(straight);
  });

  it('keeps learned baselines across a rule reload (a new rule array with the same rule names)', () => {
    const reloaded = rules(`
rules:
  - name: partner_error_code_shift
    kind: error_code_shift
    select: integration_requests_total
    by: [partner]
    severity: critical
    summary: '{{ $labels.partner }} answers {{ $labels.error_code }}'
`);
    const detector = openDetector(CODE_SHIFT);
    const events: AlertEvent[] = [];
    for (const [m, scrape] of acmeStartsAnswering400().entries()) {
      // Reloaded 10 minutes before the incident: a relearning detector would still be warming up.
      if (m === 140) detector.setRules(reloaded);
      events.push(...detector.step(scrape));
    }
    const firing = events.find((e) => e.state === 'firing');
    expect(firing?.summary).toBe('acme answers 400');
    expect(at(firing!) - 150).toBeLessThanOrEqual(5);
  });

  it('hands out snapshots that are copies: stepping on does not change one already taken, and two detectors opened from it do not share state', () => {
    const scrapes = acmeStartsAnswering400();
    const detector = openDetector(CODE_SHIFT);
    let i = 0;
    while (!detector.step(scrapes[i++]!).some((e) => e.state === 'pending'));
    const taken = detector.snapshot();
    const text = JSON.stringify(taken);
    const a = openDetector(CODE_SHIFT, taken);
    const b = openDetector(CODE_SHIFT, taken);
    for (const scrape of scrapes.slice(i)) {
      detector.step(scrape);
      a.step(scrape);
    }
    expect(JSON.stringify(taken)).toBe(text);
    expect(a.activeAlerts().map((x) => x.state)).toEqual(['firing']);
    expect(b.activeAlerts().map((x) => x.state)).toEqual(['pending']);
  });
});
