import { describe, expect, it } from 'vitest';
import { advanceAlert, type ActiveAlert } from '../../src/detect/lifecycle.ts';

const MIN = 60_000;

/** Drives one alert through a sequence of verdicts, one a minute; returns the transitions by minute. */
function drive(verdicts: boolean[], forMs: number, keepFiringForMs: number): string[] {
  let alert: ActiveAlert | undefined;
  const out: string[] = [];
  verdicts.forEach((holds, minute) => {
    const r = advanceAlert(alert, { holds, value: minute, labels: { partner: 'acme' } }, { forMs, keepFiringForMs }, minute * MIN);
    alert = r.alert;
    if (r.transition) out.push(`${minute}:${r.transition}`);
  });
  return out;
}

describe('alert life cycle', () => {
  it('goes pending, then firing once the condition held for `for`, then resolved: one event per transition', () => {
    expect(drive([false, true, true, true, true, false, false], 3 * MIN, 0)).toEqual(['1:pending', '4:firing', '5:resolved']);
  });

  it('drops a pending alert that stops holding before `for` without ever firing', () => {
    expect(drive([true, true, false, false], 3 * MIN, 0)).toEqual(['0:pending', '2:resolved']);
  });

  it('fires at once when `for` is zero', () => {
    expect(drive([true, true, false], 0, 0)).toEqual(['0:firing', '2:resolved']);
  });

  it('keeps firing through a dip shorter than keep_firing_for, and resolves after it', () => {
    expect(drive([true, true, false, true, false, false, false, false], MIN, 3 * MIN)).toEqual(['0:pending', '1:firing', '7:resolved']);
  });

  it('records the peak value while active', () => {
    let alert: ActiveAlert | undefined;
    for (const [i, v] of [3, 9, 4].entries()) alert = advanceAlert(alert, { holds: true, value: v, labels: {} }, { forMs: MIN, keepFiringForMs: 0 }, i * MIN).alert;
    expect(alert?.peak).toBe(9);
    expect(alert?.value).toBe(4);
  });

  it('records the lowest value as the peak of a drop', () => {
    let alert: ActiveAlert | undefined;
    for (const [i, v] of [0.2, 0, 0.1].entries()) alert = advanceAlert(alert, { holds: true, value: v, labels: {}, lowerIsWorse: true }, { forMs: MIN, keepFiringForMs: 0 }, i * MIN).alert;
    expect(alert?.peak).toBe(0);
  });
});
