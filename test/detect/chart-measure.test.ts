// What a chart is drawn from: the detector's measure of one alert's series. A share kind gives the band
// its learned normal allows at the current call count (not only the paging level), and an instant an
// hour before the alert is answered from the 5-minute history the detector keeps, though its fine
// tracks hold only the 10-minute window; instants it never recorded stay unanswered.
import { describe, expect, it } from 'vitest';
import { openDetector } from '../../src/detect/index.ts';
import { shareBand } from '../../src/detect/kinds/share-band.ts';
import type { AlertEvent } from '../../src/detect/types.ts';
import { batch, MIN, rules, sample, steadyCounts, T0 } from './batches.ts';

const CODE_SHIFT = rules(`
rules:
  - name: partner_error_code_shift
    kind: error_code_shift
    select: integration_requests_total
    by: [partner]
    window: 10m
    min_count: 2
    min_share: 0.3
    factor: 4
    for: 1m
    severity: critical
    summary: code shift
`);

describe('the band of a share', () => {
  it('is the shares the normal allows in this many calls: wide on few calls, narrow on many, within 0..1', () => {
    const few = shareBand(0.01, 50);
    const many = shareBand(0.01, 50_000);
    expect(few.lower).toBe(0);
    expect(few.upper!).toBeGreaterThan(0.05);
    expect(many.lower!).toBeGreaterThan(0.0085);
    expect(many.upper!).toBeLessThan(0.0115);
    expect(shareBand(0.9, 10).upper).toBe(1);
    expect(shareBand(0.01, 0)).toEqual({});
  });
});

describe('the measure behind a chart', () => {
  it("answers an hour before a code shift's alert with the share and its normal band, from the detector's history", () => {
    const detector = openDetector(CODE_SHIFT);
    const ok = steadyCounts(60);
    const e400 = steadyCounts(0.6); // 1% of calls answer 400 normally
    let success = 0;
    let bad = 0;
    const events: AlertEvent[] = [];
    const incidentMin = 6 * 60;
    // What a chart asks when the alert goes pending (the driver's look-back): every 5 minutes of the hour before.
    const before: { at: number; m: ReturnType<typeof detector.measure> }[] = [];
    for (let m = 0; m <= incidentMin + 20; m++) {
      const t = T0 + m * MIN;
      success += ok();
      bad += m >= incidentMin ? 40 : e400();
      const fresh = detector.step(batch(t, [
        sample('integration_requests_total', { partner: 'acme', outcome: 'success' }, success, t),
        sample('integration_requests_total', { partner: 'acme', outcome: 'client_error', error_code: '400' }, bad, t),
      ]));
      events.push(...fresh);
      const pending = fresh.find((e) => e.state === 'pending');
      if (pending) for (let at = pending.activeSinceMs - 60 * MIN; at < pending.activeSinceMs; at += 5 * MIN) before.push({ at, m: detector.measure(pending.rule, pending.labels, at) });
    }
    const pending = events.find((e) => e.state === 'pending')!;
    expect(pending.labels.error_code).toBe('400');
    expect(before).toHaveLength(12);
    expect(before.every(({ m }) => m !== undefined)).toBe(true);
    for (const { at, m } of before.filter(({ at }) => at < T0 + incidentMin * MIN)) {
      expect(m!.value, `at ${(at - T0) / MIN} min`).toBeLessThan(0.05); // about 1%, as it was
      expect(m!.lower!).toBeLessThanOrEqual(m!.value);
      expect(m!.upper!).toBeGreaterThan(0.01);
      expect(m!.upper!).toBeLessThan(0.1); // the normal's band, not the 30% paging level
    }
    // Now: far above the band it had.
    const now = detector.measure(pending.rule, pending.labels, T0 + (incidentMin + 20) * MIN)!;
    expect(now.value).toBeGreaterThan(0.3);
    expect(now.value).toBeGreaterThan(now.upper!);
    // Further back than the history keeps: no answer rather than today's value.
    expect(detector.measure(pending.rule, pending.labels, pending.activeSinceMs - 3 * 60 * MIN)).toBeUndefined();
  });

  it('answers the past of a kind that reads only its latest level from history, not with the level now', () => {
    const detector = openDetector(rules(`
rules:
  - name: deep_queue
    kind: threshold
    select: queue_depth
    by: [queue]
    op: '>'
    value: 20
    for: 0
    severity: critical
    summary: deep
`));
    let pending: AlertEvent | undefined;
    let past: ReturnType<typeof detector.measure>;
    for (let m = 0; m <= 120; m++) {
      const t = T0 + m * MIN;
      const fresh = detector.step(batch(t, [sample('queue_depth', { queue: 'sync' }, m < 100 ? 5 : 50, t)]));
      const p = fresh.find((e) => e.state === 'pending' || e.state === 'firing');
      if (p && !pending) {
        pending = p;
        past = detector.measure(p.rule, p.labels, p.activeSinceMs - 30 * MIN);
      }
    }
    expect(pending).toBeDefined();
    expect(past).toEqual({ value: 5, upper: 20 }); // what it was then, not the 50 it reads now
    expect(detector.measure(pending!.rule, pending!.labels, T0 + 120 * MIN)).toEqual({ value: 50, upper: 20 });
  });
});


describe('a detector without the look-back (a backtest that draws no page-time chart)', () => {
  it('judges exactly as with it, answers now, and leaves the past unanswered', () => {
    const feed = (history: boolean) => {
      const detector = openDetector(CODE_SHIFT, undefined, { measureHistory: history });
      const ok = steadyCounts(60);
      const e400 = steadyCounts(0.6);
      let success = 0;
      let bad = 0;
      const events: AlertEvent[] = [];
      for (let m = 0; m <= 6 * 60 + 20; m++) {
        const t = T0 + m * MIN;
        success += ok();
        bad += m >= 6 * 60 ? 40 : e400();
        events.push(...detector.step(batch(t, [
          sample('integration_requests_total', { partner: 'acme', outcome: 'success' }, success, t),
          sample('integration_requests_total', { partner: 'acme', outcome: 'client_error', error_code: '400' }, bad, t),
        ])));
      }
      return { detector, events };
    };
    const withHistory = feed(true);
    const without = feed(false);
    expect(without.events).toEqual(withHistory.events);
    const firing = without.events.find((e) => e.state === 'firing')!;
    const now = T0 + (6 * 60 + 20) * MIN;
    expect(without.detector.measure(firing.rule, firing.labels, now)).toEqual(withHistory.detector.measure(firing.rule, firing.labels, now));
    expect(withHistory.detector.measure(firing.rule, firing.labels, now - 30 * MIN)).toBeDefined();
    expect(without.detector.measure(firing.rule, firing.labels, now - 30 * MIN)).toBeUndefined();
  });
});
