// The chart a page carries starts before the alert: the driver's history asks the detector's measure
// about the hour before, so a responder sees what normal looked like, and it stays bounded.
import { describe, expect, it } from 'vitest';
import { ChartHistory } from '../../src/escalate/chart-history.js';
import type { AlertEvent } from '../../src/model/index.js';

const MIN = 60_000;
const T0 = Date.parse('2026-03-09T02:43:00Z');

function event(state: AlertEvent['state'], atMs: number): AlertEvent {
  return { id: 'r{partner="p"}', rule: 'r', state, severity: 'critical', labels: { partner: 'p' }, at: new Date(atMs).toISOString(), atMs, value: 0.5, summary: 's', activeSinceMs: T0 };
}

describe('the chart history behind a page', () => {
  it('looks back an hour before the alert where the detector can still measure, then follows it', () => {
    const history = new ChartHistory();
    // The detector remembers 20 minutes: earlier instants have no measure.
    const measure = (_rule: string, _labels: unknown, at: number) => (at >= T0 - 20 * MIN ? { value: at < T0 ? 0.01 : 0.5, lower: 0, upper: 0.05 } : undefined);
    history.observe([event('pending', T0)], T0, measure);
    const [firing] = history.observe([event('firing', T0 + 2 * MIN)], T0 + 2 * MIN, measure);
    const points = firing!.chart!.points;
    const before = points.filter((p) => p[0] < T0);
    expect(before.length).toBe(4); // T0-20m, -15m, -10m, -5m: every 5 minutes it could measure
    expect(before.every((p) => p[1] === 0.01 && p[3] === 0.05)).toBe(true);
    expect(points.at(-1)).toEqual([T0 + 2 * MIN, 0.5, 0, 0.05]);
    expect(firing!.chart!.activeSinceMs).toBe(T0);
  });

  it('draws nothing before the alert when no measure is given', () => {
    const history = new ChartHistory();
    history.observe([event('pending', T0)], T0, undefined);
    const [firing] = history.observe([event('firing', T0 + MIN)], T0 + MIN, undefined);
    expect(firing!.chart).toBeUndefined();
  });

  it('draws a live chart to the last evaluation, and keeps a resolved one drawing for the margin after', () => {
    const history = new ChartHistory();
    const measure = (_rule: string, _labels: unknown, at: number) => ({ value: at < T0 + 30 * MIN ? 0.5 : 0.01, lower: 0, upper: 0.05 });
    history.observe([event('pending', T0)], T0, measure);
    history.observe([event('firing', T0 + 2 * MIN)], T0 + 2 * MIN, measure);
    for (let m = 3; m <= 20; m++) history.observe([], T0 + m * MIN, measure);
    expect(history.chart(event('firing', T0).id)!.points.at(-1)![0]).toBe(T0 + 20 * MIN); // not the firing transition's
    history.observe([event('resolved', T0 + 30 * MIN)], T0 + 30 * MIN, measure);
    for (let m = 31; m <= 40; m++) history.observe([], T0 + m * MIN, measure);
    const [resolved] = history.resolved();
    expect(resolved!.chart.resolvedAtMs).toBe(T0 + 30 * MIN);
    expect(resolved!.chart.points.at(-1)).toEqual([T0 + 40 * MIN, 0.01, 0, 0.05]);
    history.observe([], T0 + 46 * MIN, measure); // past the 15-minute margin: gone
    expect(history.resolved()).toEqual([]);
    expect(history.chart(resolved!.id)).toBeUndefined();
  });
});
