// The chart a message carries: one alert's series, its normal band, the alert span and the exit level,
// as a small PNG. Drawn by Vega-Lite (compiled to a Vega spec, rendered headless to SVG in-process with
// renderer 'none': vega's optional `canvas` addon is never needed) and rasterised by resvg compiled to
// WASM (@resvg/resvg-wasm): no native addon, no browser. Both load lazily, on the first chart, so
// nothing that imports the escalator (let alone the shim) pays for them. Text needs a TTF font buffer:
// DejaVu Sans from Debian's fonts-dejavu-core; with none found the chart is drawn without its words.
// Only numbers, clock times and the (already safe) title are drawn.
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ChartSpec } from './state.js';
import { chartVegaLite } from './chart-spec.js';

const FONT_FILES = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/dejavu/DejaVuSans.ttf'];

type Libraries = {
  vega: typeof import('vega');
  vegaLite: typeof import('vega-lite');
  resvg: typeof import('@resvg/resvg-wasm');
  fonts: Uint8Array[];
};
let ready: Promise<Libraries> | undefined;

function load(): Promise<Libraries> {
  ready ??= (async () => {
    const [vega, vegaLite, resvg] = await Promise.all([import('vega'), import('vega-lite'), import('@resvg/resvg-wasm')]);
    const wasm = readFileSync(createRequire(import.meta.url).resolve('@resvg/resvg-wasm/index_bg.wasm'));
    await resvg.initWasm(wasm);
    const fonts = FONT_FILES.filter((f) => existsSync(f)).slice(0, 1).map((f) => new Uint8Array(readFileSync(f)));
    return { vega, vegaLite, resvg, fonts };
  })();
  // A failed load (no wasm file) is retried on the next chart rather than cached for good.
  ready.catch(() => { ready = undefined; });
  return ready;
}

/** The SVG Vega draws for a chart (exported for tests: what words a chart carries). */
export async function chartSvg(spec: ChartSpec): Promise<string> {
  const { vega, vegaLite } = await load();
  const compiled = vegaLite.compile(chartVegaLite(spec)).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export async function renderChartPng(spec: ChartSpec): Promise<Buffer> {
  const svg = await chartSvg(spec);
  const { resvg, fonts } = await load();
  const r = new resvg.Resvg(svg, {
    fitTo: { mode: 'original' },
    font: { fontBuffers: fonts, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans', loadSystemFonts: false },
    background: '#ffffff',
  });
  try {
    return Buffer.from(r.render().asPng());
  } finally {
    r.free();
  }
}
