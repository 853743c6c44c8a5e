// The anomaly model on series whose truth we know: seeded noise, a daily wave, a level shift, a spike,
// a flat stretch; and its state as JSON (a round trip changes nothing, memory stays bounded).
import { describe, expect, it } from 'vitest';
import { newAnomalyState, updateAnomaly } from '../../../src/detect/anomaly/anomaly-model.js';
import { DEFAULT_ANOMALY_PARAMS } from '../../../src/detect/anomaly/defaults.js';
import { autocorrelation, findSeason } from '../../../src/detect/anomaly/season.js';
import type { AnomalyParams, AnomalyVerdict } from '../../../src/detect/anomaly/types.js';

const STEP = 5 * 60_000;
const T0 = Date.UTC(2026, 0, 5);

/** Seeded standard normal (Box-Muller on a linear congruential generator). */
function gaussian(seed: number): () => number {
  let s = seed;
  const u = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) + 1) / 2147483649;
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

function run(values: readonly number[], params: Partial<AnomalyParams> = {}): AnomalyVerdict[] {
  const p = { ...DEFAULT_ANOMALY_PARAMS, ...params };
  const state = newAnomalyState();
  return values.map((v, i) => updateAnomaly(state, p, T0 + i * STEP, v));
}

const detectedAt = (verdicts: readonly AnomalyVerdict[]): number[] => verdicts.flatMap((v, i) => (v.detected ? [i] : []));

function daily(n: number, seed: number): number[] {
  const noise = gaussian(seed);
  return Array.from({ length: n }, (_, i) => 50 + 20 * Math.sin((2 * Math.PI * i) / 288) + noise());
}

describe('season', () => {
  it('finds the day in a daily wave and nothing in noise', () => {
    expect(findSeason(daily(700, 1), [288, 2016], 0.5)).toBe(288);
    const noise = gaussian(2);
    expect(findSeason(Array.from({ length: 700 }, noise), [288], 0.5)).toBe(0);
  });

  it('reads a perfectly periodic series as fully correlated even with only two periods', () => {
    const wave = Array.from({ length: 576 }, (_, i) => Math.sin((2 * Math.PI * i) / 288));
    expect(autocorrelation(wave, 288)).toBeCloseTo(1, 2);
  });
});

describe('anomaly model', () => {
  it('judges nothing during its warm-up', () => {
    const verdicts = run(daily(150, 3));
    expect(verdicts.every((v) => !v.ready && !v.detected)).toBe(true);
  });

  it('stays quiet on a noisy daily wave for a month', () => {
    expect(detectedAt(run(daily(288 * 30, 4)))).toEqual([]);
  });

  it('raises one detection for a level shift, at its start', () => {
    const values = daily(4000, 5).map((v, i) => (i >= 3000 ? v + 15 : v));
    const at = detectedAt(run(values));
    expect(at).toHaveLength(1);
    expect(at[0]).toBeGreaterThanOrEqual(3000);
    expect(at[0]).toBeLessThan(3010);
  });

  it('catches a spike that stays inside the daily range but not at that hour', () => {
    // At the trough (value ~30) a jump to 55 is still inside the day's 30..70.
    const values = daily(4000, 6);
    const trough = 288 * 12 + 216;
    values[trough] = 55;
    const verdicts = run(values);
    expect(detectedAt(verdicts)).toEqual([trough]);
    expect(verdicts[trough]!.direction).toBe('up');
    expect(verdicts[trough]!.upper).toBeLessThan(55);
  });

  it('watches only the side it is told to', () => {
    const values = daily(4000, 7).map((v, i) => (i >= 3000 ? v - 15 : v));
    expect(detectedAt(run(values, { direction: 'up' }))).toEqual([]);
    expect(detectedAt(run(values, { direction: 'down' }))).toEqual([3000]);
  });

  it('notices a series whose noise triples, through the likelihood of the recent window', () => {
    const noise = gaussian(8);
    const values = Array.from({ length: 4000 }, (_, i) => 10 + (i >= 3000 ? 3 : 1) * noise());
    // The other detectors off: this is the likelihood's own catch.
    const verdicts = run(values, { season: 'none', novelMargin: 0, spikeZ: Infinity, cusumH: 0 });
    const at = detectedAt(verdicts);
    expect(at.length).toBeGreaterThan(0);
    expect(at[0]).toBeGreaterThanOrEqual(3000);
    expect(at[0]).toBeLessThan(3030);
    expect(verdicts[at[0]!]!.by).toBe('likelihood');
  });

  it('continues identically from its state written as JSON', () => {
    const values = daily(3000, 9).map((v, i) => (i >= 2500 ? v + 10 : v));
    const p = DEFAULT_ANOMALY_PARAMS;
    const a = newAnomalyState();
    let b = newAnomalyState();
    for (let i = 0; i < values.length; i++) {
      const va = updateAnomaly(a, p, T0 + i * STEP, values[i]!);
      b = JSON.parse(JSON.stringify(b));
      const vb = updateAnomaly(b, p, T0 + i * STEP, values[i]!);
      expect(vb).toEqual(va);
    }
  });

  it('takes a declared week although the warm-up holds only two days of it, and learns the rest as it comes', () => {
    const state = newAnomalyState();
    // Weekdays at 100, weekends at 20, one point every 5 minutes for five weeks.
    const noise = gaussian(11);
    const weekly = Array.from({ length: 288 * 35 }, (_, i) => ((Math.floor(i / 288) % 7) < 5 ? 100 : 20) + noise());
    const verdicts = weekly.map((v, i) => updateAnomaly(state, { ...DEFAULT_ANOMALY_PARAMS, season: '1w' }, T0 + i * STEP, v));
    expect(state.periodSteps).toBe(2016);
    // The fifth week is judged against its own days: no page on Saturday's fall.
    expect(verdicts.slice(288 * 28).filter((v) => v.detected)).toEqual([]);
  });

  it('keeps bounded state: the warm-up buffer goes once the season is decided', () => {
    const state = newAnomalyState();
    const values = daily(22_000, 10);
    values.forEach((v, i) => updateAnomaly(state, DEFAULT_ANOMALY_PARAMS, T0 + i * STEP, v));
    expect(state.warm).toBeNull();
    expect(state.periodSteps).toBe(288);
    expect(JSON.stringify(state).length).toBeLessThan(16_000);
  });
});
