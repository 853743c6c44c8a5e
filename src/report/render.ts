// Renders the backtest report: ONE self-contained HTML page (uPlot's JS and CSS inlined from
// node_modules at render time, data inlined as JSON; no network) with, for every alert, the watched
// series, its learned normal band and the alert span, plus a table of incidents.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { humanDuration, humanValue, isoTime } from './format.js';
import { escapeHtml } from './html.js';
import { emptyMessage, legendHtml, uncoveredNote } from './page-text.js';
import { clip, thin } from './thin.js';
import { CHART_SCRIPT, PAGE_CSS } from './page-assets.js';
import type { AlertExplain } from '../model/index.js';
import type { ReportAlert, ReportInput, ReportPoint, ReportUnit } from './types.js';

const HOUR = 3_600_000;

let uplotAssets: { js: string; css: string } | undefined;
function uplot(): { js: string; css: string } {
  if (!uplotAssets) {
    const require = createRequire(import.meta.url);
    const dist = dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
    uplotAssets = { js: readFileSync(join(dist, 'uPlot.iife.min.js'), 'utf8'), css: readFileSync(join(dist, 'uPlot.min.css'), 'utf8') };
  }
  return uplotAssets;
}

export { escapeHtml };

/** JSON that is safe inside <script>: no "</script>", no "<!--", no U+2028/2029 surprises. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Inline code must not close its own <script> element. */
function inlineScript(code: string): string {
  return code.replace(/<\/script/gi, '<\\/script');
}

export function entityText(labels: Readonly<Record<string, string>>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return parts.length ? parts.join(', ') : '(all)';
}

function iso(ms: number | undefined, open = 'still firing'): string {
  return ms === undefined ? open : isoTime(ms);
}

function duration(fromMs: number, toMs: number | undefined): string {
  if (toMs === undefined) return '';
  // Whole minutes: the detector steps by the minute, so seconds would be noise.
  return humanDuration(Math.round((toMs - fromMs) / 60_000) * 60_000);
}

/** Without the rule's own peak: the value farthest from zero during the span. */
function chartedPeak(points: readonly ReportPoint[], fromMs: number, toMs: number | undefined): number | undefined {
  let best: number | undefined;
  for (const p of points) {
    if (p[0] < fromMs || (toMs !== undefined && p[0] > toMs) || p[1] === null || p[1] === undefined) continue;
    if (best === undefined || Math.abs(p[1]) > Math.abs(best)) best = p[1];
  }
  return best;
}

interface ChartData {
  title: string;
  subtitle: string;
  valueLabel: string;
  unit: ReportUnit;
  /** Columns for uPlot: seconds, value, lower, upper. */
  t: number[];
  v: Array<number | null>;
  lo: Array<number | null>;
  hi: Array<number | null>;
  /** Seconds; `firing` null with `pendingOnly` means it never fired, without it that the time is unknown. */
  spans: Array<{ from: number; firing: number | null; to: number | null; pendingOnly?: true }>;
  /** The alert's reasons, one line of text under the chart. */
  explain?: string;
}

function chartData(title: string, subtitle: string, valueLabel: string, unit: ReportUnit | undefined, points: readonly ReportPoint[], spans: ChartData['spans']): ChartData {
  const sorted = points.slice().sort((a, b) => a[0] - b[0]);
  return {
    title, subtitle, valueLabel, unit: unit ?? 'number', spans,
    t: sorted.map((p) => p[0] / 1000),
    v: sorted.map((p) => p[1] ?? null),
    lo: sorted.map((p) => p[2] ?? null),
    hi: sorted.map((p) => p[3] ?? null),
  };
}

function alertChart(a: ReportAlert, input: ReportInput): ChartData {
  const before = input.contextBeforeMs ?? 12 * HOUR;
  const after = input.contextAfterMs ?? 3 * HOUR;
  let end = a.toMs ?? a.fromMs;
  if (a.toMs === undefined) for (const p of a.points) if (p[0] > end) end = p[0];
  const points = thin(clip(a.points, a.fromMs - before, end + after), input.maxPointsPerChart ?? 3000);
  const open = a.neverFired ? 'still pending' : 'still firing';
  const state = a.neverFired ? ' · pending only, never fired' : '';
  const chart = chartData(`${a.rule} · ${entityText(a.labels)}`, `${iso(a.fromMs)} → ${iso(a.toMs, open)}${state}${a.summary ? ' · ' + a.summary : ''}`,
    a.valueLabel ?? 'value', a.unit, points,
    [{
      from: a.fromMs / 1000, firing: a.firingMs === undefined ? null : a.firingMs / 1000, to: a.toMs === undefined ? null : a.toMs / 1000,
      ...(a.neverFired ? { pendingOnly: true as const } : {}),
    }]);
  return a.explain ? { ...chart, explain: explainText(a.explain) } : chart;
}

/** "why: over 10m, observed 0.35 (6 of 17); against normal 4.4e-5, share over the trailing 24h; p 1e-9; exit level 0.15" */
export function explainText(e: AlertExplain): string {
  const n = (x: number): string => String(Number(x.toPrecision(3)));
  const parts = [`why: ${e.window ? `over ${e.window}, ` : ''}observed ${n(e.observed)}${e.count !== undefined ? ` (${n(e.count)}${e.total !== undefined ? ` of ${n(e.total)}` : ''})` : ''}`];
  parts.push(`against ${e.normal !== undefined ? `normal ${n(e.normal)}, ` : ''}${e.reference}`);
  if (e.lower !== undefined || e.upper !== undefined) parts.push(`band ${e.lower !== undefined ? n(e.lower) : '-'} to ${e.upper !== undefined ? n(e.upper) : '-'}`);
  if (e.pValue !== undefined) parts.push(`p ${e.pValue.toExponential(1)}`);
  if (e.exit !== undefined) parts.push(`exit level ${n(e.exit)}`);
  return parts.join('; ');
}

function tableRow(a: ReportAlert, i: number): string {
  const peak = a.peak ?? chartedPeak(a.points, a.fromMs, a.toMs);
  const firing = a.neverFired ? '<td class="never-fired">never fired</td>' : `<td>${a.firingMs === undefined ? '' : iso(a.firingMs)}</td>`;
  return `<tr${a.neverFired ? ' class="pending-only"' : ''}><td><a href="#chart-${i}">${escapeHtml(a.rule)}</a></td><td class="sev-${escapeHtml(a.severity ?? 'warning')}">${escapeHtml(a.severity ?? '')}</td>`
    + `<td class="entity">${escapeHtml(entityText(a.labels))}</td><td>${iso(a.fromMs)}</td>${firing}`
    + `<td>${iso(a.toMs, a.neverFired ? 'still pending' : 'still firing')}</td><td>${duration(a.fromMs, a.toMs)}</td>`
    + `<td>${peak === undefined ? '' : escapeHtml(humanValue(peak, a.unit))}</td></tr>`;
}

export function renderReport(input: ReportInput): string {
  const { js, css } = uplot();
  const alerts = input.alerts.slice().sort((a, b) => a.fromMs - b.fromMs);
  const charts: ChartData[] = alerts.map((a) => alertChart(a, input));
  for (const s of input.series ?? []) {
    charts.push(chartData(s.title, s.labels ? entityText(s.labels) : '', s.valueLabel ?? 'value', s.unit, thin(s.points, input.maxPointsPerChart ?? 3000), []));
  }
  const rows = alerts.map(tableRow).join('\n');
  const meta = Object.entries(input.meta ?? {}).map(([k, v]) => `<span><b>${escapeHtml(k)}</b> ${escapeHtml(v)}</span>`).join(' ');
  const table = alerts.length === 0
    ? emptyMessage(input.coverage)
    : `<table class="alerts"><thead><tr><th>rule</th><th>severity</th><th>entity</th><th>pending (UTC)</th><th>firing (UTC)</th><th>resolved (UTC)</th><th>duration</th><th>peak</th></tr></thead><tbody>\n${rows}\n</tbody></table>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>${css}</style>
<style>${PAGE_CSS}</style>
</head>
<body>
<h1>${escapeHtml(input.title)}</h1>
<p class="meta">${meta}</p>
${uncoveredNote(input.coverage, alerts.length === 0)}
${table}
${charts.length > 0 ? legendHtml() : ''}
<div id="charts"></div>
<noscript><p>The charts need JavaScript; the table above lists every alert.</p></noscript>
<script id="report-data" type="application/json">${scriptJson(charts)}</script>
<script>${inlineScript(js)}</script>
<script>${inlineScript(CHART_SCRIPT)}</script>
</body>
</html>
`;
}
