// The console page, rendered on the server: alerts by state and severity with their explanation and
// chart, silences, targets, rules and the last reload. Readable with JavaScript off (tables and forms);
// with it, uPlot draws the same band chart as the backtest report (its script and CSS reused).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { RESOLVED_MARGIN_MS } from '../escalate/chart-history.js';
import { alertContent, fromDetector } from '../escalate/message-content.js';
import { scrubValue } from '../escalate/redact.js';
import { matches } from '../policy/matchers.js';
import { CHART_SCRIPT, PAGE_CSS } from '../report/page-assets.js';
import type { ConsoleAlert, ConsoleApi } from './types.js';

let uplotAssets: { js: string; css: string } | undefined;
function uplot(): { js: string; css: string } {
  if (!uplotAssets) {
    const dist = dirname(createRequire(import.meta.url).resolve('uplot/dist/uPlot.iife.min.js'));
    uplotAssets = { js: readFileSync(join(dist, 'uPlot.iife.min.js'), 'utf8'), css: readFileSync(join(dist, 'uPlot.min.css'), 'utf8') };
  }
  return uplotAssets;
}

const CSS = `
section { margin: 24px 0; }
.alert { border: 1px solid #ddd; border-left: 6px solid #8a5a00; border-radius: 4px; padding: 8px 12px; margin: 8px 0; max-width: 980px; }
.alert.alert-critical { border-left-color: #b3261e; }
.alert.alert-resolved { border-left-color: #2f9e44; }
.alert h3 { margin: 0 0 4px; font-size: 15px; }
.alert .why { margin: 2px 0; }
.alert form { display: inline; margin-right: 8px; }
.muted { color: #666; }
.note { background: #e7f5ff; padding: 6px 10px; border-radius: 4px; display: inline-block; }
.bad { color: #b3261e; }
`;

const at = (ms: number | string | undefined): string => (ms === undefined ? '' : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`);

export function renderConsolePage(api: ConsoleApi, note?: string, signedIn = false): string {
  const nowMs = api.now();
  const alerts = [...api.activeAlerts()].sort((a, b) => rank(a) - rank(b) || a.activeSince.localeCompare(b.activeSince));
  const silences = api.escalator.silences.list(nowMs);
  const active = silences.filter((s) => s.status === 'active');
  const groups = api.escalator.groups();
  const charts: unknown[] = [];
  const card = (a: ConsoleAlert): string => {
    const labels = { ...a.labels, alertname: a.rule, rule: a.rule, severity: a.severity };
    const silencedBy = active.filter((s) => matches(s.matchers, labels));
    const acked = groups.find((g) => g.firingAlertIds.includes(a.id) && g.acknowledged)?.acknowledged;
    const paged = groups.some((g) => g.firingAlertIds.includes(a.id));
    const content = alertContent({ rule: a.rule, kind: a.kind, labels: scrubbed(a.labels), value: a.value, runbook: a.runbook, ...(a.explain ? { explain: fromDetector(a.explain) } : {}) });
    const chart = api.alertChart(a.id);
    if (chart) charts.push(chartData(a, chart));
    const status = [
      a.state === 'firing' ? `firing since ${at(a.activeSince)}` : `pending since ${at(a.activeSince)}`,
      ...(acked ? [`acknowledged by ${acked.by} at ${at(acked.atMs)}`] : []),
      ...silencedBy.map((s) => `silenced by ${s.createdBy} until ${at(s.endsAtMs)} (${s.id})`),
    ];
    const actions = [
      paged && !acked ? `<form method="post" action="/console/alerts/${encodeURIComponent(a.id)}/ack"><input type="hidden" name="by" value="console"><button type="submit">Acknowledge</button></form>` : '',
      `<a href="/console/silence/new?alert=${encodeURIComponent(a.id)}">Silence…</a>`,
      content.runbook ? ` · <a href="${esc(content.runbook)}">Runbook</a>` : '',
    ].join('');
    return `<div class="alert alert-${esc(a.severity)}" data-alert-id="${esc(a.id)}">
<h3>${esc(a.severity.toUpperCase())} · ${esc(a.rule)} <span class="muted">${esc(labelText(a.labels))}</span></h3>
<div class="why"><b>${esc(scrubValue(a.summary))}</b></div>
<div class="why">${esc(content.explanation)}</div>
<div class="muted">${esc(status.join(' · '))}</div>
<div>${actions}</div>
</div>`;
  };
  const byState = (state: 'firing' | 'pending') => {
    const list = alerts.filter((a) => a.state === state);
    return `<h3>${state === 'firing' ? 'Firing' : 'Pending'} (${list.length})</h3>${list.length === 0 ? '<p class="muted">none</p>' : list.map(card).join('\n')}`;
  };
  // Resolved in the last minutes: the card says when, the chart runs on past the resolve.
  const resolved = api.resolvedCharts?.() ?? [];
  const resolvedCard = (r: (typeof resolved)[number]): string => {
    charts.push(chartData({ rule: r.rule, labels: r.labels, summary: `resolved at ${at(r.chart.resolvedAtMs)}`, ...(r.kind !== undefined ? { kind: r.kind } : {}) }, r.chart));
    return `<div class="alert alert-resolved" data-alert-id="${esc(r.id)}"><h3>RESOLVED · ${esc(r.rule)} <span class="muted">${esc(labelText(r.labels))}</span></h3>
<div class="muted">active since ${esc(at(r.chart.activeSinceMs))} · resolved at ${esc(at(r.chart.resolvedAtMs))}</div></div>`;
  };
  const resolvedList = `<h3>Resolved in the last ${RESOLVED_MARGIN_MS / 60_000} min (${resolved.length})</h3>${resolved.length === 0 ? '<p class="muted">none</p>' : resolved.map(resolvedCard).join('\n')}`;
  const reload = api.lastReload();
  const { js, css } = uplot();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Integration Sentinel · ${alerts.filter((a) => a.state === 'firing').length} firing</title>
<style>${css}</style>
<style>${PAGE_CSS}${CSS}</style>
</head>
<body>
<h1>Integration Sentinel</h1>
<p class="meta"><span id="as-of" data-now-ms="${nowMs}">as of ${esc(at(nowMs))}</span><span>last reload: ${reload ? `${reload.ok ? 'applied' : '<b class="bad">refused</b>'} at ${esc(at(reload.atMs))}` : 'none since start'}</span> <a href="/">refresh</a>${signedIn ? '' : ' · <a href="/console/login">sign in</a> to silence or acknowledge'}</p>
${note ? `<p class="note" role="status">${esc(note)}</p>` : ''}
${reload && !reload.ok ? `<pre class="bad">${esc(reload.errors.join('\n'))}</pre>` : ''}
<section id="alerts"><h2>Alerts</h2>${byState('firing')}${byState('pending')}${resolvedList}</section>
<section id="charts-section"><h2>Charts</h2>${charts.length === 0 ? '<p class="muted">no chart yet: an alert gets one once it has been measured twice</p>' : '<p class="muted">the value (blue), its normal band (green) and the alert span (red), from an hour before the alert to the last evaluation (to the resolve and after, once resolved); drawn with JavaScript</p>'}<div id="charts"></div></section>
<section id="silences"><h2>Silences</h2>${silenceTable(silences)}<p><a href="/console/silence/new">New silence…</a></p></section>
<section id="targets"><h2>Targets</h2><table><thead><tr><th>target</th><th>health</th><th>last scrape</th><th>took</th><th>samples</th><th>error</th></tr></thead><tbody>
${api.targets().map((t) => `<tr><td>${esc(t.name)} <span class="muted">${esc(t.url)}</span></td><td class="${t.health === 'up' ? '' : 'bad'}">${esc(t.health)}</td><td>${esc(at(t.lastScrape))}</td><td>${t.lastDurationMs ?? ''}${t.lastDurationMs !== undefined ? ' ms' : ''}</td><td>${t.samples ?? ''}</td><td class="bad">${esc(t.lastError ?? '')}</td></tr>`).join('\n')}
</tbody></table></section>
<section id="rules"><h2>Rules</h2><table><thead><tr><th>rule</th><th>kind</th><th>severity</th><th>state</th></tr></thead><tbody>
${api.rules().map((r) => {
  const firing = alerts.filter((a) => a.rule === r.name && a.state === 'firing').length;
  const pending = alerts.filter((a) => a.rule === r.name && a.state === 'pending').length;
  const state = firing > 0 ? `firing (${firing})` : pending > 0 ? `pending (${pending})` : 'ok';
  return `<tr><td>${esc(r.name)}</td><td>${esc(r.kind)}</td><td class="sev-${esc(r.severity)}">${esc(r.severity)}</td><td>${esc(state)}</td></tr>`;
}).join('\n')}
</tbody></table></section>
<script id="report-data" type="application/json">${scriptJson(charts)}</script>
<script>${inline(js)}</script>
<script>${inline(CHART_SCRIPT)}</script>
</body>
</html>`;
}

export function renderSilenceForm(matchers: readonly string[], alertId?: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>New silence</title><style>${PAGE_CSS}${CSS}</style></head>
<body><h1>New silence</h1>
${alertId ? `<p class="muted">from alert ${esc(alertId)}</p>` : ''}
<form method="post" action="/console/silences">
<p><label>Matchers, one per line<br><textarea name="matchers" rows="${Math.max(3, matchers.length + 1)}" cols="60">${esc(matchers.join('\n'))}</textarea></label></p>
<p><label>For <select name="duration"><option value="1h">1 hour</option><option value="4h" selected>4 hours</option><option value="24h">24 hours</option><option value="7d">7 days</option></select></label>
<label>or for <input name="for" size="8" placeholder="90m, 2d" pattern="([0-9]+(ms|s|m|h|d|w))+"></label> <span class="muted">(written as in rules: 90m, 2h30m, 3d; at most 90d)</span></p>
<p><label>Your name <input name="createdBy" required></label></p>
<p><label>Why <input name="comment" size="50" required></label></p>
<p><button type="submit">Create silence</button> <a href="/">cancel</a></p>
</form></body></html>`;
}

export function renderProblem(message: string, fix?: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Not done</title><style>${PAGE_CSS}${CSS}</style></head>
<body><h1>Not done</h1><p class="bad" role="alert">${esc(message)}</p>${fix ? `<p>${esc(fix)}</p>` : ''}<p><a href="/">back</a></p></body></html>`;
}

function silenceTable(silences: ReturnType<ConsoleApi['escalator']['silences']['list']>): string {
  if (silences.length === 0) return '<p class="muted">no silences</p>';
  const rows = silences.map((s) => `<tr data-silence-id="${esc(s.id)}"><td>${esc(s.id)}</td><td>${esc(s.matchers.map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`).join(', '))}</td><td>${esc(s.status)}</td><td>${esc(at(s.endsAtMs))}</td><td>${esc(s.createdBy)}</td><td>${esc(s.comment)}</td>`
    + `<td>${s.status === 'expired' ? '' : `<form method="post" action="/console/silences/${encodeURIComponent(s.id)}/expire"><button type="submit">Expire</button></form>`}</td></tr>`);
  return `<table><thead><tr><th>id</th><th>matchers</th><th>status</th><th>ends</th><th>by</th><th>comment</th><th></th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

/** The report script's chart shape: seconds, value, lower, upper, and the alert span. */
function chartData(a: Pick<ConsoleAlert, 'rule' | 'labels' | 'summary' | 'kind'>, chart: NonNullable<ReturnType<ConsoleApi['alertChart']>>) {
  const unit = a.kind && ['error_code_shift', 'error_rate', 'timeouts', 'routing_flows', 'success_drop'].includes(a.kind) ? 'ratio' : a.kind === 'latency' || a.kind === 'queue_backlog' ? 'seconds' : 'number';
  return {
    title: `${a.rule} ${labelText(a.labels)}`,
    subtitle: scrubValue(a.summary),
    valueLabel: a.kind ?? 'value',
    unit,
    t: chart.points.map((p) => p[0] / 1000),
    v: chart.points.map((p) => p[1]),
    lo: chart.points.map((p) => p[2]),
    hi: chart.points.map((p) => p[3]),
    spans: [{ from: chart.activeSinceMs / 1000, firing: null, to: chart.resolvedAtMs === undefined ? null : chart.resolvedAtMs / 1000 }],
  };
}

function rank(a: ConsoleAlert): number {
  return (a.state === 'firing' ? 0 : 2) + (a.severity === 'critical' ? 0 : 1);
}

function scrubbed(labels: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, scrubValue(v)]));
}

function labelText(labels: Readonly<Record<string, string>>): string {
  // Scrubbed as messages are: the page leaves the service too. (The silence form keeps the raw values,
  // or the silence would not match.)
  return Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(scrubValue(v))}`).join(', ');
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function inline(code: string): string {
  return code.replace(/<\/script/gi, '<\\/script');
}
