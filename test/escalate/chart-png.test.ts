// The chart a page carries, drawn by Vega-Lite -> Vega -> SVG and rasterised by resvg-wasm: a small
// PNG of the right size, quick to draw, with the series, band, span and exit level, and loading
// neither a native addon (vega's optional `canvas`) nor vega itself until a chart is drawn.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { chartSvg, renderChartPng } from '../../src/escalate/chart-png.js';
import type { ChartSpec } from '../../src/escalate/state.js';
import { ensureDist, ROOT } from '../demo/ensure-dist.js';

const MIN = 60_000;
const T0 = Date.parse('2026-03-09T02:43:00Z');

function incidentChart(): ChartSpec {
  const points: [number, number | null, number | null, number | null][] = [];
  for (let t = T0 - 60 * MIN; t <= T0 + 40 * MIN; t += MIN) points.push([t, t < T0 ? 0.012 : 0.54, 0.004, 0.03]);
  return { points, activeSinceMs: T0, resolvedAtMs: T0 + 35 * MIN, title: 'Neighbourhood Pharmacy: error code shift (400)', kind: 'error_code_shift', exitLevel: 0.2 };
}

/** Width and height from the PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('the chart a message carries', () => {
  it('is a 640x260 PNG of a few tens of kB, drawn in well under a second once loaded', async () => {
    await renderChartPng(incidentChart()); // loads vega, vega-lite and the wasm once
    const started = performance.now();
    const png = await renderChartPng(incidentChart());
    const ms = performance.now() - started;
    expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    expect(pngSize(png)).toEqual({ width: 640, height: 260 });
    expect(png.length).toBeGreaterThan(5_000);
    expect(png.length).toBeLessThan(80_000);
    expect(ms).toBeLessThan(1_500);
    console.log(`chart PNG: ${png.length} bytes, drawn in ${ms.toFixed(0)} ms`);
  }, 60_000);

  it('draws the series, its band, the alert span and the exit level, with percent ticks and UTC clock times', async () => {
    const svg = await chartSvg(incidentChart());
    expect(svg).toContain('Neighbourhood Pharmacy: error code shift (400)');
    expect(svg).toContain('dashed: exit level');
    expect(svg).toMatch(/>50%</);
    expect(svg).toMatch(/>02:30</);
    // One line, one area, the span's rect and the exit rule: Vega names its marks by type.
    for (const mark of ['mark-line', 'mark-area', 'mark-rect', 'mark-rule']) expect(svg).toContain(mark);
  }, 60_000);

  it('stays drawable with no band, one point, and a kind it does not know', async () => {
    const png = await renderChartPng({ points: [[T0, 3, null, null], [T0 + MIN, null, null, null]], activeSinceMs: T0, title: 'x', kind: 'something_new' });
    expect(pngSize(png)).toEqual({ width: 640, height: 260 });
  }, 60_000);

  it('loads no native addon and no canvas, and the package loads vega only when a chart is drawn', () => {
    ensureDist();
    const probe = `
import { registerHooks } from 'node:module';
const urls = [];
registerHooks({ resolve(s, c, next) { const r = next(s, c); urls.push(r.url); return r; } });
const pkg = await import('integration-sentinel');
const beforeChart = urls.filter((u) => /node_modules\\/(vega|vega-lite|@resvg)\\//.test(u)).length;
const { renderChartPng } = await import('./dist/escalate/chart-png.js');
const png = await renderChartPng({ points: [[0, 1, 0, 2], [60000, 2, 0, 2]], activeSinceMs: 0, title: 't' });
process.stdout.write(JSON.stringify({ beforeChart, bytes: png.length, urls, exports: Object.keys(pkg).length }));
`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(result.status, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as { beforeChart: number; bytes: number; urls: string[] };
    expect(out.beforeChart).toBe(0);
    expect(out.bytes).toBeGreaterThan(1_000);
    expect(out.urls.some((u) => u.includes('/node_modules/vega-lite/'))).toBe(true); // the probe sees vega once it is used
    expect(out.urls.filter((u) => u.includes('/node_modules/canvas/') || u.endsWith('.node'))).toEqual([]);
  }, 120_000);
});
