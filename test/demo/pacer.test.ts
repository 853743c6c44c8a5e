// The demo's pacing of recorded time, on a fake clock: what it sleeps is what a person waits.
import { describe, expect, it } from 'vitest';
import { Pacer, playSegments, type PlaySegment } from '../../src/demo/pacer.js';

const MIN = 60_000;

function fakeClock() {
  const clock = { nowMs: 0, slept: [] as number[] };
  return {
    clock,
    now: () => clock.nowMs,
    sleep: async (ms: number) => {
      clock.slept.push(ms);
      clock.nowMs += ms;
    },
  };
}

describe('the demo pacer', () => {
  const segment: PlaySegment = { fromMs: 100 * MIN, toMs: 200 * MIN, speed: 600 };

  it('runs the lead-in flat out, then plays a recorded minute every 0.1 s at 600x', async () => {
    const { clock, now, sleep } = fakeClock();
    const pacer = new Pacer({ segments: [segment], holdMs: 0, now, sleep });
    for (let t = 0; t < 100 * MIN; t += MIN) await pacer.reach(t);
    expect(clock.slept).toEqual([]);
    for (let t = 100 * MIN; t <= 110 * MIN; t += MIN) await pacer.reach(t);
    expect(clock.slept).toEqual(Array(10).fill(100));
  });

  it('holds after an arrival without making the next minutes rush to catch up', async () => {
    const { clock, now, sleep } = fakeClock();
    const pacer = new Pacer({ segments: [segment], holdMs: 800, now, sleep });
    await pacer.reach(100 * MIN);
    await pacer.reach(101 * MIN);
    await pacer.hold();
    await pacer.reach(102 * MIN);
    expect(clock.slept).toEqual([100, 800, 100]);
  });

  it('plays on from where it is when the machine fell behind, instead of racing', async () => {
    const { clock, now, sleep } = fakeClock();
    const pacer = new Pacer({ segments: [segment], holdMs: 0, now, sleep });
    await pacer.reach(100 * MIN);
    clock.nowMs += 5_000; // a slow step: 50 recorded minutes' worth of wall time
    await pacer.reach(101 * MIN);
    await pacer.reach(102 * MIN);
    expect(clock.slept).toEqual([100]);
  });

  it('auto plays the onset slower than the rest, and max plays nothing', () => {
    const incident = { startMs: 1000 * MIN, endMs: 1000 * MIN + 8 * 60 * MIN };
    const [onset, rest] = playSegments(incident, 'auto', 20_000);
    expect(onset!.fromMs).toBe(990 * MIN);
    expect(onset!.toMs).toBe(1045 * MIN);
    expect((onset!.toMs - onset!.fromMs) / onset!.speed).toBeCloseTo(10_000);
    expect((rest!.toMs - rest!.fromMs) / rest!.speed).toBeCloseTo(10_000);
    expect(rest!.toMs).toBe(incident.endMs + 45 * MIN);
    expect(onset!.speed).toBeLessThan(rest!.speed);
    expect(playSegments(incident, 'max', 20_000)).toEqual([]);
    expect(playSegments(incident, 300, 20_000)).toEqual([{ fromMs: 990 * MIN, toMs: incident.endMs + 45 * MIN, speed: 300 }]);
  });
});
