import { describe, expect, it } from 'vitest';
import { acceleratedClock } from '../../src/service/clock.js';
import { createLogger } from '../../src/service/log.js';
import { ServiceMetrics } from '../../src/service/self-metrics.js';

describe('the service log', () => {
  it('writes one event per line with key=value fields, quoting values with spaces and escaping newlines', () => {
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l), now: () => Date.parse('2026-11-23T06:00:00Z') });
    log.warn('scrape_failed', { target: 'lab', reason: 'garbage', detail: 'no sample parsed;\nfirst "x"', skipped: undefined });
    expect(lines).toEqual(['2026-11-23T06:00:00.000Z warn scrape_failed target=lab reason=garbage detail="no sample parsed;\\nfirst \\"x\\""\n']);
  });

  it('scrubs the secrets it is given at each line, so secrets that arrive with a reload are covered', () => {
    const lines: string[] = [];
    let secrets = ['xoxb-first-secret'];
    const log = createLogger({ write: (l) => lines.push(l), secrets: () => secrets });
    log.error('reload_rejected', { error: 'bad duration "xoxb-first-secret"' });
    secrets = ['smtp-password-2'];
    log.info('x', { detail: 'smtp-password-2 and xoxb-first-secret' });
    expect(lines[0]).toContain('bad duration \\"[redacted]\\"');
    expect(lines[1]).toContain('[redacted] and xoxb-first-secret');
  });
});

describe('the service metrics', () => {
  it('renders Prometheus text with escaped label values and a cumulative histogram', () => {
    const metrics = new ServiceMetrics();
    metrics.scrapeFailures.inc({ target: 'a"b\\c', reason: 'timeout' });
    metrics.scrapeDuration.observe({ target: 'app' }, 0.02);
    metrics.scrapeDuration.observe({ target: 'app' }, 3);
    const text = metrics.render();
    expect(text).toContain('sentinel_scrape_failures_total{target="a\\"b\\\\c",reason="timeout"} 1');
    expect(text).toContain('sentinel_scrape_duration_seconds_bucket{target="app",le="0.01"} 0');
    expect(text).toContain('sentinel_scrape_duration_seconds_bucket{target="app",le="0.025"} 1');
    expect(text).toContain('sentinel_scrape_duration_seconds_bucket{target="app",le="5"} 2');
    expect(text).toContain('sentinel_scrape_duration_seconds_bucket{target="app",le="+Inf"} 2');
    expect(text).toContain('sentinel_scrape_duration_seconds_count{target="app"} 2');
    expect(text).toMatch(/# TYPE sentinel_scrape_duration_seconds histogram\n/);
  });
});

describe('the accelerated clock', () => {
  it('runs N times faster and scales timer delays', async () => {
    const clock = acceleratedClock(100, 1_000_000);
    const before = clock.now();
    await new Promise((r) => setTimeout(r, 50));
    expect(clock.now() - before).toBeGreaterThanOrEqual(4_000);
    expect(clock.realDelay(60_000)).toBe(600);
  });

  it('resumes from the saved state time after a restart, never behind it', () => {
    const clock = acceleratedClock(100, 1_000_000);
    clock.resumeFrom(5_000_000);
    expect(clock.now()).toBeGreaterThanOrEqual(5_000_000);
    clock.resumeFrom(0);
    expect(clock.now()).toBeGreaterThanOrEqual(5_000_000);
  });
});
