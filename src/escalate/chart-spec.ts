// The Vega-Lite spec of a message's chart: the measured series (a line), its normal band (an area
// between lower and upper), the alert span (a shaded rectangle, to the resolve or the last point) and
// the level it must fall back below to resolve (a dashed rule), on a UTC time axis. Plain data, no
// Vega import: chart-png.ts compiles and draws it. Bounded: at most MAX_POINTS points are drawn.
import type { TopLevelSpec } from 'vega-lite';
import type { ChartSpec } from './state.js';

export const WIDTH = 640;
export const HEIGHT = 260;
/** A history thinned by chart-history.ts stays under this; a spec from elsewhere is cut to its latest points. */
const MAX_POINTS = 400;
const PAD = { left: 62, right: 16, top: 46, bottom: 36 };
/** In Vega's estimated pixels (0.8 x font size per character, about 1.4 x what DejaVu draws). */
const TITLE_LIMIT = Math.round((WIDTH - PAD.left - PAD.right) * 1.35);

const SHARE_KINDS = new Set(['error_code_shift', 'error_rate', 'timeouts', 'routing_flows']);
const SECONDS_KINDS = new Set(['latency', 'queue_backlog']);

/** How the y axis says its numbers: a share in percent, seconds with their unit, counts as counts. */
function yAxis(kind: string | undefined): Record<string, unknown> {
  if (kind !== undefined && SHARE_KINDS.has(kind)) return { title: 'share of calls', format: '.1~%' };
  if (kind !== undefined && SECONDS_KINDS.has(kind)) return { title: 'seconds', labelExpr: "format(datum.value, '.3~r') + ' s'" };
  return { title: kind === 'success_drop' ? 'successes in the window' : 'value', format: '~s' };
}

export function chartVegaLite(spec: ChartSpec): TopLevelSpec {
  const points = spec.points.slice(-MAX_POINTS);
  const rows = points.map(([t, v, lo, hi]) => ({ t, v, lo, hi }));
  const lastMs = Math.max(points.at(-1)?.[0] ?? spec.activeSinceMs, spec.activeSinceMs + 60_000);
  const span = { from: Math.max(spec.activeSinceMs, points[0]?.[0] ?? spec.activeSinceMs), to: Math.min(spec.resolvedAtMs ?? lastMs, lastMs) };
  const x = { field: 't', type: 'temporal', scale: { type: 'utc' }, axis: { title: 'UTC', labelExpr: "utcFormat(datum.value, '%H:%M')", tickCount: 6, grid: false } };
  const y = { type: 'quantitative', axis: yAxis(spec.kind), scale: { zero: true, nice: true } };
  const layers: Record<string, unknown>[] = [
    {
      data: { values: [span] },
      mark: { type: 'rect', color: '#e8590c', opacity: 0.14 },
      encoding: { x: { field: 'from', type: 'temporal', scale: { type: 'utc' } }, x2: { field: 'to' } },
    },
    {
      transform: [{ filter: 'isValid(datum.lo) && isValid(datum.hi)' }],
      mark: { type: 'area', color: '#2f9e44', opacity: 0.25 },
      encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' } },
    },
    {
      transform: [{ filter: 'isValid(datum.v)' }],
      mark: { type: 'line', color: '#1c7ed6', strokeWidth: 2 },
      encoding: { x, y: { ...y, field: 'v' } },
    },
  ];
  if (spec.exitLevel !== undefined && Number.isFinite(spec.exitLevel)) {
    layers.push({ data: { values: [{ exit: spec.exitLevel }] }, mark: { type: 'rule', color: '#c92a2a', strokeDash: [4, 3] }, encoding: { y: { ...y, field: 'exit' } } });
  }
  // Built as plain objects (vega-lite's types are a deep union); the compile in chart-png.ts checks it.
  const vl = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    // A fixed layout: without a canvas Vega estimates text widths (generously), and a fitted layout
    // would shrink the plot to make room for a long title it thinks is wider than it is.
    width: WIDTH - PAD.left - PAD.right,
    height: HEIGHT - PAD.top - PAD.bottom,
    autosize: { type: 'none' },
    background: '#ffffff',
    padding: PAD,
    title: { text: spec.title.slice(0, 90), subtitle: `blue: measured · green: normal band · orange: alert span${spec.exitLevel !== undefined ? ' · dashed: exit level' : ''}`, anchor: 'start', fontSize: 13, limit: TITLE_LIMIT, subtitleColor: '#868e96' },
    data: { values: rows },
    layer: layers,
    config: { aria: false, font: 'DejaVu Sans', view: { stroke: null }, axis: { labelColor: '#495057', titleColor: '#495057', labelFontSize: 10, titleFontSize: 10 } },
  };
  return vl as unknown as TopLevelSpec;
}
