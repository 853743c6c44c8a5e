// The state journal's deltas: applied to the last written document, they rebuild the next one exactly
// (same JSON text, key order included), and the writer's copy ends equal to it; a sliding window costs
// its new points, a series binding its changed fields named by position.
import { describe, expect, it } from 'vitest';
import { applyDelta, diff, type Delta } from '../../src/service/json-delta.js';

async function roundTrip(before: unknown, after: unknown): Promise<Delta | undefined> {
  const writer = JSON.parse(JSON.stringify(before));
  const reader = JSON.parse(JSON.stringify(before));
  const delta = await diff(writer, after as object);
  const onDisk = delta === undefined ? undefined : (JSON.parse(JSON.stringify(delta)) as Delta);
  const rebuilt = onDisk ? applyDelta(reader, onDisk) : reader;
  expect(JSON.stringify(rebuilt)).toBe(JSON.stringify(writer));
  expect(JSON.parse(JSON.stringify(rebuilt))).toEqual(JSON.parse(JSON.stringify(after)));
  return delta;
}

/** A random edit of a JSON document: values change, members come and go, windows slide. */
function mutate(value: unknown, rnd: () => number): unknown {
  if (Array.isArray(value)) {
    if (rnd() < 0.3) return [...value.slice(1), Math.floor(rnd() * 100)];
    return value.map((v) => (rnd() < 0.2 ? mutate(v, rnd) : v));
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (rnd() < 0.05) continue;
      out[k] = rnd() < 0.3 ? mutate(v, rnd) : v;
    }
    if (rnd() < 0.1) out[`k${Math.floor(rnd() * 1000)}`] = { v: rnd(), w: [1, 2, 3] };
    return out;
  }
  if (typeof value === 'number') return rnd() < 0.4 ? value + 1 : rnd() < 0.1 ? Number.NaN : rnd() < 0.1 ? 0 : rnd() < 0.1 ? false : value;
  return rnd() < 0.1 ? { now: 'an object' } : value;
}

describe('json deltas', () => {
  it('rebuild the next document exactly, through many random edits', async () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const series: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) series[`big\u0000requests_total{partner="p${i}"}`] = { e: `partner=p${i}`, subs: ['__total'], v: i, t: 1000 };
    let doc: unknown = { version: 1, detector: { rules: { a: { series, entities: { x: { fine: { t: [1, 2, 3], v: [4, 5, 6] } } } } } }, alerts: [] };
    for (let round = 0; round < 200; round++) {
      const next = mutate(doc, rnd);
      await roundTrip(doc, next);
      doc = JSON.parse(JSON.stringify(next));
    }
  });

  it('name a big map\'s members by position and a slid window by its new points', async () => {
    const series: Record<string, unknown> = {};
    for (let i = 0; i < 100; i++) series[`big\u0000integration_requests_total{operation="GET /op/{id}",partner="p${i}"}`] = { e: `partner=p${i}`, a: 'counter', v: i, t: 1000 };
    const before = { series, window: { t: [1, 2, 3, 4], v: [10, 20, 30, 40] } };
    const after = structuredClone(before) as typeof before;
    (after.series[Object.keys(series)[42]!] as { v: number; t: number }).v = 99;
    after.window = { t: [2, 3, 4, 5], v: [20, 30, 40, 50] };
    const delta = await roundTrip(before, after);
    const text = JSON.stringify(delta);
    expect(text).not.toContain('integration_requests_total');
    expect(text).toContain('[2,1,[5]]');
    expect(text).toBe('[3,{"series":[3,{},[42,[3,{"v":99}]]],"window":[3,{"t":[2,1,[5]],"v":[2,1,[50]]}]}]');
    expect(await roundTrip(after, structuredClone(after))).toBeUndefined();
  });
});
