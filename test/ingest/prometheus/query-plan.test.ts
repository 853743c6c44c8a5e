// What a backtest asks of Prometheus: only the series the rules read, in windows Prometheus accepts.
import { describe, expect, it } from 'vitest';
import { MAX_POINTS_PER_SERIES, queryWindows } from '../../../src/ingest/prometheus/index.ts';
import { ruleSelectors } from '../../../src/detect/rule-selectors.ts';
import { loadRules } from '../../../src/rules/index.ts';
import { parseTime } from '../../../src/cli/backtest-prometheus.ts';

describe('the query plan of backtest --prometheus', () => {
  it('asks for the default pack\'s series only: counters, gauges, histogram _sum/_count, never _bucket', async () => {
    const loaded = await loadRules(new URL('../../../rules/', import.meta.url).pathname);
    if (!loaded.ok) throw new Error('pack does not load');
    const selectors = ruleSelectors(loaded.rules);
    expect(selectors).toContain('integration_requests_total');
    expect(selectors).toContain('integration_request_duration_seconds_sum');
    expect(selectors).toContain('integration_request_duration_seconds_count');
    expect(selectors).toContain('integration_queue_pending_events');
    expect(selectors.some((s) => s.includes('_bucket'))).toBe(false);
    // One name read whole by some rule is fetched once, not again per narrower selector.
    expect(selectors.filter((s) => s.startsWith('integration_requests_total'))).toEqual(['integration_requests_total']);
  });

  it('cuts 14 days at 1 m into step-aligned windows under 11,000 points, with no gap and no overlap', () => {
    const from = Date.parse('2026-11-01T00:00:00Z');
    const to = Date.parse('2026-11-15T00:00:00Z');
    const windows = queryWindows(from, to, 60_000, MAX_POINTS_PER_SERIES);
    expect(windows.length).toBe(2);
    for (const w of windows) expect((w.toMs - w.fromMs) / 60_000 + 1).toBeLessThanOrEqual(11_000);
    for (let i = 1; i < windows.length; i++) expect(windows[i]!.fromMs).toBe(windows[i - 1]!.toMs + 60_000);
    expect(windows[0]!.fromMs).toBe(from);
    expect(windows.at(-1)!.toMs).toBe(to);
    const points = windows.reduce((n, w) => n + (w.toMs - w.fromMs) / 60_000 + 1, 0);
    expect(points).toBe((to - from) / 60_000 + 1);
  });

  it('reads times as dates, date-times and now-relative', () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    expect(parseTime('2026-11-01', now)).toBe(Date.parse('2026-11-01T00:00:00Z'));
    expect(parseTime('2026-11-01T06:30:00Z', now)).toBe(Date.parse('2026-11-01T06:30:00Z'));
    expect(parseTime('now', now)).toBe(now);
    expect(parseTime('now-7d', now)).toBe(now - 7 * 86_400_000);
    expect(parseTime('last tuesday', now)).toBeUndefined();
  });
});
