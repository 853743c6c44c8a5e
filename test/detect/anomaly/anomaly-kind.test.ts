// The anomaly kind as a user writes it: a rule in YAML, samples through the detector, pages out. The
// same model as test/detect/anomaly/anomaly-model.test.ts, now behind the rule schema and the engine.
import { describe, expect, it } from 'vitest';
import { compilePrometheus } from '../../../src/compile/prometheus/index.ts';
import { newAnomalyState, updateAnomaly } from '../../../src/detect/anomaly/anomaly-model.ts';
import { anomalyParams } from '../../../src/detect/kinds/anomaly.ts';
import { openDetector } from '../../../src/detect/index.ts';
import type { AlertEvent } from '../../../src/detect/types.ts';
import type { AnomalyRule } from '../../../src/rules/types.ts';
import { batch, MIN, rules, sample, T0 } from '../batches.ts';

/** Seeded standard normal. */
function gaussian(seed: number): () => number {
  let s = seed;
  const u = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) + 1) / 2147483649;
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/** A queue's depth: a daily wave with noise, one point a minute for `days`; `shift` added from minute `from`. */
function depth(days: number, seed: number, from = Infinity, shift = 0): number[] {
  const noise = gaussian(seed);
  return Array.from({ length: days * 1440 }, (_, m) => 200 + 80 * Math.sin((2 * Math.PI * m) / 1440) + 4 * noise() + (m >= from ? shift : 0));
}

const QUEUE_DEPTH = `
rules:
  - name: queue_depth_unusual
    kind: anomaly
    select: integration_queue_pending_events
    by: [queue]
    severity: warning
    summary: '{{ $labels.queue }} holds {{ $value }} events, not its usual'
`;

function replay(yaml: string, values: readonly number[], name = 'integration_queue_pending_events', labels: Record<string, string> = { queue: 'orders' }): AlertEvent[] {
  const detector = openDetector(rules(yaml));
  const events: AlertEvent[] = [];
  values.forEach((v, m) => events.push(...detector.step(batch(T0 + m * MIN, [sample(name, labels, v, T0 + m * MIN)]))));
  return events;
}

const firings = (events: readonly AlertEvent[]): number[] => events.filter((e) => e.state === 'firing').map((e) => (e.atMs - T0) / MIN);

describe('kind: anomaly', () => {
  it('pages once when a queue holds 60 more events than its usual for the hour of day, within 5 minutes', () => {
    const start = 4 * 1440 + 600;
    const events = replay(QUEUE_DEPTH, depth(6, 1, start, 60));
    const fired = firings(events);
    expect(fired).toHaveLength(1);
    expect(fired[0]! - start).toBeGreaterThanOrEqual(0);
    expect(fired[0]! - start).toBeLessThanOrEqual(5);
    expect(events.find((e) => e.state === 'firing')!.summary).toMatch(/^orders holds \d+ events, not its usual$/);
  });

  it('stays quiet through six days of the same daily wave', () => {
    expect(firings(replay(QUEUE_DEPTH, depth(6, 2)))).toEqual([]);
  });

  it('judges a counter by its rate, and only on the side it is told to', () => {
    const yaml = (direction: string): string => `
rules:
  - name: sync_rate_unusual
    kind: anomaly
    select: messages_synced_total
    rate_window: 5m
    direction: ${direction}
    severity: warning
    summary: 'sync rate {{ $value }}/s'
`;
    let total = 0;
    // 10 messages a second give or take one a minute, then from day 3 a fall to 4 a second. (Plain
    // noise would also page 'up' now and then on a first-ever high: docs/rules.md, "anomaly".)
    const counter = Array.from({ length: 4 * 1440 }, (_, m) => (total += (m >= 3 * 1440 ? 240 : 600) + [1, -1, 0][m % 3]!));
    const drop = firings(replay(yaml('down'), counter, 'messages_synced_total', {}));
    expect(drop).toHaveLength(1);
    expect(drop[0]! - 3 * 1440).toBeLessThanOrEqual(10);
    expect(firings(replay(yaml('up'), counter, 'messages_synced_total', {}))).toEqual([]);
  });

  it('raises its pages exactly where the model alone detects (one point per step)', () => {
    const values = depth(5, 4, 3 * 1440 + 100, 40).filter((_, m) => m % 5 === 0);
    const detector = openDetector(rules(QUEUE_DEPTH));
    const events: AlertEvent[] = [];
    values.forEach((v, i) => events.push(...detector.step(batch(T0 + i * 5 * MIN, [sample('integration_queue_pending_events', { queue: 'orders' }, v, T0 + i * 5 * MIN)]))));
    const model = newAnomalyState();
    const params = anomalyParams(rules(QUEUE_DEPTH)[0] as AnomalyRule);
    const alone = values.flatMap((v, i) => (updateAnomaly(model, params, T0 + i * 5 * MIN, v).detected ? [i * 5] : []));
    expect(alone.length).toBeGreaterThan(0);
    expect(firings(events)).toEqual(alone);
  });

  it('keeps its model in the snapshot: a detector reopened from JSON pages as the one that never stopped', () => {
    const values = depth(5, 5, 4 * 1440, -70);
    const straight = replay(QUEUE_DEPTH, values);
    const pack = rules(QUEUE_DEPTH);
    let detector = openDetector(pack);
    const events: AlertEvent[] = [];
    values.forEach((v, m) => {
      if (m === 3 * 1440) detector = openDetector(pack, JSON.parse(JSON.stringify(detector.snapshot())));
      events.push(...detector.step(batch(T0 + m * MIN, [sample('integration_queue_pending_events', { queue: 'orders' }, v, T0 + m * MIN)])));
    });
    expect(firings(straight)).toHaveLength(1);
    expect(events).toEqual(straight);
  });

  it('reads every metric a name pattern selects, each one on its own, also one another rule names', () => {
    const yaml = `
rules:
  - name: refunds_queue_huge
    kind: threshold
    select: queue_refunds_depth
    value: 1e9
    severity: warning
    summary: huge
  - name: any_queue_unusual
    kind: anomaly
    select: '{__name__=~"queue_.+_depth"}'
    severity: warning
    summary: '{{ $labels.__name__ }} at {{ $value }}'
`;
    const calm = depth(5, 6);
    const jumped = depth(5, 7, 4 * 1440, 60);
    const detector = openDetector(rules(yaml));
    const events: AlertEvent[] = [];
    calm.forEach((v, m) => {
      const t = T0 + m * MIN;
      events.push(...detector.step(batch(t, [sample('queue_orders_depth', {}, v, t), sample('queue_refunds_depth', {}, jumped[m]!, t), sample('other_depth', {}, 1e9, t)])));
    });
    const fired = events.filter((e) => e.state === 'firing');
    expect(fired.map((e) => e.labels)).toEqual([{ __name__: 'queue_refunds_depth' }]);
    expect(fired[0]!.summary).toMatch(/^queue_refunds_depth at \d+$/);
  });

  it('lets only this kind read a name pattern, and says how to fix another', () => {
    expect(() => rules(`
rules:
  - name: t
    kind: threshold
    select: '{__name__=~"queue_.+"}'
    value: 3
    severity: warning
    summary: s
`)).toThrow(/only for kind: anomaly.*start the selector with the metric name/s);
  });

  it('is named as not compiled for Prometheus, never dropped silently', () => {
    const result = compilePrometheus(rules(QUEUE_DEPTH));
    expect(result.notes).toContainEqual(expect.objectContaining({ subject: 'queue_depth_unusual', fidelity: 'not-compiled' }));
    expect([...result.files.keys()].some((f) => f.includes('queue_depth_unusual'))).toBe(false);
    expect(result.files.get('NOTES.md')).toMatch(/queue_depth_unusual \| not-compiled \| anomaly rules run only in the embedded detector/);
  });
});
