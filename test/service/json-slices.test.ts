import { describe, expect, it } from 'vitest';
import { stringifyInSlices } from '../../src/service/json-slices.js';

describe('stringifyInSlices', () => {
  it('writes the same text as JSON.stringify for plain JSON data, large and nested', async () => {
    const series: Record<string, unknown> = {};
    for (let i = 0; i < 5_000; i++) series[`integration_requests_total{partner="p${i}",x="\\"q\\n"}`] = { e: `partner=p${i}\u0001`, subs: ['__total'], a: 'counter', v: i / 3, t: 1e12 + i, n: i % 2 === 0 ? true : undefined };
    const doc = { version: 1, savedAtMs: 5, nothing: null, list: Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? undefined : [i, NaN, 'x', { y: undefined }])), detector: { rules: { a: { series }, b: {} } }, date: new Date(0), empty: [], flag: false };
    expect(await stringifyInSlices(doc)).toBe(JSON.stringify(doc));
  });

  it('lets timers run while it works on a large document', async () => {
    const big = { rows: Array.from({ length: 200_000 }, (_, i) => ({ i, label: `row-${i}`, values: [i, i + 1, i + 2] })) };
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const text = await stringifyInSlices(big);
    clearInterval(timer);
    expect(text).toBe(JSON.stringify(big));
    expect(ticks).toBeGreaterThan(0);
  });
});
