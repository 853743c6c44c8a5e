// The chart a message carries: one alert's series, its normal band and the alert span, as a small PNG.
// Drawn as SVG here (a line, a shaded band, a shaded span, a few axis labels: too little to need a
// charting library) and rasterised in-process by resvg compiled to WASM (@resvg/resvg-wasm): no native
// addon, no browser. Text needs a TTF/OTF font buffer: DejaVu Sans from Debian's fonts-dejavu-core; with
// no font found the chart is drawn without its words. Only numbers and the (already safe) title are drawn.
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ChartSpec } from './state.js';
import { percent, seconds, number } from './message-content.js';

const WIDTH = 640;
const HEIGHT = 260;
const PAD = { left: 64, right: 16, top: 40, bottom: 34 };
const FONT_FILES = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/dejavu/DejaVuSans.ttf'];

type ResvgModule = typeof import('@resvg/resvg-wasm');
let ready: Promise<{ mod: ResvgModule; fonts: Uint8Array[] }> | undefined;

function load(): Promise<{ mod: ResvgModule; fonts: Uint8Array[] }> {
  ready ??= (async () => {
    const mod = await import('@resvg/resvg-wasm');
    const wasm = readFileSync(createRequire(import.meta.url).resolve('@resvg/resvg-wasm/index_bg.wasm'));
    await mod.initWasm(wasm);
    const fonts = FONT_FILES.filter((f) => existsSync(f)).slice(0, 1).map((f) => new Uint8Array(readFileSync(f)));
    return { mod, fonts };
  })();
  return ready;
}

export async function renderChartPng(spec: ChartSpec): Promise<Buffer> {
  const { mod, fonts } = await load();
  const resvg = new mod.Resvg(chartSvg(spec), {
    fitTo: { mode: 'original' },
    font: { fontBuffers: fonts, defaultFontFamily: 'DejaVu Sans', loadSystemFonts: false },
    background: '#ffffff',
  });
  const png = resvg.render().asPng();
  resvg.free();
  return Buffer.from(png);
}

/** The SVG drawn into the PNG (exported for tests: what words a chart carries). */
export function chartSvg(spec: ChartSpec): string {
  const pts = spec.points;
  const t0 = pts[0]![0];
  const t1 = Math.max(pts.at(-1)![0], t0 + 60_000);
  const values = pts.flatMap(([, v, lo, hi]) => [v, lo, hi]).filter((x): x is number => x !== null);
  let y0 = Math.min(0, ...values);
  let y1 = Math.max(...values, y0 + 1e-9);
  const share = spec.kind !== undefined && ['error_code_shift', 'error_rate', 'timeouts', 'routing_flows', 'success_drop'].includes(spec.kind);
  if (share) y1 = Math.min(Math.max(y1 * 1.1, 0.01), y1 > 1 ? y1 * 1.1 : 1);
  else y1 = y1 * 1.1;
  if (y1 <= y0) y1 = y0 + 1;
  const x = (t: number) => PAD.left + ((t - t0) / (t1 - t0)) * (WIDTH - PAD.left - PAD.right);
  const y = (v: number) => HEIGHT - PAD.bottom - ((v - y0) / (y1 - y0)) * (HEIGHT - PAD.top - PAD.bottom);
  const say = (v: number) => (share ? percent(v) : spec.kind === 'latency' || spec.kind === 'queue_backlog' ? seconds(v) : number(v));

  const band = pts.filter(([, , lo, hi]) => lo !== null && hi !== null);
  const bandPath = band.length > 1
    ? `M${band.map(([t, , , hi]) => `${x(t).toFixed(1)},${y(hi!).toFixed(1)}`).join('L')}L${[...band].reverse().map(([t, , lo]) => `${x(t).toFixed(1)},${y(lo!).toFixed(1)}`).join('L')}Z`
    : '';
  const line = pts.filter(([, v]) => v !== null).map(([t, v], i) => `${i === 0 ? 'M' : 'L'}${x(t).toFixed(1)},${y(v!).toFixed(1)}`).join('');
  const spanFrom = x(Math.max(spec.activeSinceMs, t0));
  const spanTo = x(Math.min(spec.resolvedAtMs ?? t1, t1));
  const ticks = [y0, (y0 + y1) / 2, y1];
  const times = [t0, (t0 + t1) / 2, t1];
  const clock = (t: number) => `${new Date(t).toISOString().slice(11, 16)} UTC`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="DejaVu Sans" font-size="11">
<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>
<rect x="${spanFrom.toFixed(1)}" y="${PAD.top}" width="${Math.max(1, spanTo - spanFrom).toFixed(1)}" height="${HEIGHT - PAD.top - PAD.bottom}" fill="#e8590c" fill-opacity="0.12"/>
${bandPath ? `<path d="${bandPath}" fill="#2f9e44" fill-opacity="0.22" stroke="none"/>` : ''}
<path d="${line}" fill="none" stroke="#1c7ed6" stroke-width="2"/>
<line x1="${PAD.left}" y1="${HEIGHT - PAD.bottom}" x2="${WIDTH - PAD.right}" y2="${HEIGHT - PAD.bottom}" stroke="#868e96"/>
${ticks.map((v) => `<text x="${PAD.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#495057">${escapeXml(say(v))}</text>`).join('\n')}
${times.map((t, i) => `<text x="${x(t).toFixed(1)}" y="${HEIGHT - 12}" text-anchor="${i === 0 ? 'start' : i === 2 ? 'end' : 'middle'}" fill="#495057">${clock(t)}</text>`).join('\n')}
<text x="${PAD.left}" y="18" font-size="13" fill="#212529">${escapeXml(spec.title.slice(0, 90))}</text>
<text x="${PAD.left}" y="33" fill="#868e96">blue: measured · green: normal band · orange: alert span</text>
</svg>`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
