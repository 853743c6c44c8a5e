import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReport, type ReportAlert, type ReportPoint } from '../../src/report/index.js';

const MIN = 60_000;
const start = Date.UTC(2026, 2, 9, 6);

/** Successes a minute with a learned band; they stop at 10:00 for an hour. */
function checkIns(): ReportPoint[] {
  const points: ReportPoint[] = [];
  for (let i = 0; i < 24 * 60; i++) {
    const t = start + i * MIN;
    const expected = 10 + 5 * Math.sin(i / 200);
    const value = t >= start + 4 * 60 * MIN && t < start + 5 * 60 * MIN ? 0 : expected + ((i * 7919) % 5) - 2;
    points.push([t, value, i < 30 ? null : expected - 4, i < 30 ? null : expected + 4]);
  }
  return points;
}

const alert: ReportAlert = {
  rule: 'check_ins_stopped', severity: 'critical', labels: { partner: 'acme_ehr', operation: 'POST /check-ins' },
  fromMs: start + 4 * 60 * MIN + 5 * MIN, firingMs: start + 4 * 60 * MIN + 12 * MIN, toMs: start + 5 * 60 * MIN + 3 * MIN,
  summary: 'successes of acme_ehr POST /check-ins below normal', valueLabel: 'successes / min', points: checkIns(),
};

function embeddedData(html: string): Array<{ title: string; t: number[]; v: Array<number | null>; lo: unknown[]; hi: unknown[]; spans: unknown[] }> {
  const m = /<script id="report-data" type="application\/json">([\s\S]*?)<\/script>/.exec(html);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]!);
}

describe('the HTML report', () => {
  it('renders one self-contained page with each alert’s series, learned band and span', () => {
    const html = renderReport({ title: 'Backtest of rules/ on incident.om', alerts: [alert], meta: { data: 'incident.om' } });
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html.match(/<html/g)).toHaveLength(1);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    // uPlot itself is inlined; nothing is fetched from anywhere.
    expect(html).toContain('uPlot');
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
    expect(html).not.toMatch(/\b(src|href)=["']?https?:/i);
    const [chart] = embeddedData(html);
    expect(chart!.title).toBe('check_ins_stopped · partner="acme_ehr", operation="POST /check-ins"');
    expect(chart!.t.length).toBe(chart!.v.length);
    expect(chart!.v).toContain(0);
    expect(chart!.lo.filter((x) => x !== null).length).toBeGreaterThan(100);
    expect(chart!.spans).toEqual([{ from: alert.fromMs / 1000, firing: alert.firingMs! / 1000, to: alert.toMs! / 1000 }]);
    // The table names the incident with its times.
    expect(html).toContain('<td>2026-03-09T10:05:00Z</td><td>2026-03-09T10:12:00Z</td><td>2026-03-09T11:03:00Z</td><td>58 min</td>');
    expect(renderReport({ title: 't', alerts: [{ ...alert, peak: 0.17612 }] })).toContain('<td>0.1761</td>');
  });

  it('clips a long series to the window around the alert and thins it without losing the drop', () => {
    const long: ReportPoint[] = [];
    for (let i = 0; i < 14 * 24 * 60; i++) long.push([start + i * MIN, i === 10_000 ? -50 : 10, 5, 15]);
    const html = renderReport({
      title: 't', alerts: [{ ...alert, fromMs: start + 9_990 * MIN, firingMs: undefined, toMs: undefined, points: long }],
      contextBeforeMs: 7 * 24 * 3_600_000, maxPointsPerChart: 500,
    });
    const [chart] = embeddedData(html);
    expect(chart!.t.length).toBeLessThanOrEqual(500);
    expect(chart!.v).toContain(-50);
    expect(chart!.t[0]! * 1000).toBeGreaterThanOrEqual(start + 9_990 * MIN - 7 * 24 * 3_600_000);
    expect(html).toContain('still firing');
  });

  it('escapes label values and titles so they cannot break out of the page', () => {
    const evil = '</script><img src=x onerror=alert(1)>';
    const html = renderReport({ title: `<b>${evil}</b>`, alerts: [{ ...alert, labels: { partner: evil } }] });
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain(`</script><img`);
    expect(embeddedData(html)[0]!.title).toContain(evil);
  });

  it('says so when nothing fired, and still draws context series', () => {
    const html = renderReport({ title: 'quiet', alerts: [], series: [{ title: 'routing flows', labels: { zone: 'eu-west-2a' }, points: [[start, 10], [start + MIN, 9]] }] });
    expect(html).toContain('No alerts');
    expect(embeddedData(html)[0]!.v).toEqual([10, 9]);
  });
});

// Where Chromium is installed (`.ci/run` installs Debian's): the page's own script really draws every chart.
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
describe.skipIf(!CHROMIUM)('the HTML report in a headless browser', () => {
  it('draws one canvas chart per alert with no network', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sentinel-report-'));
    try {
      const file = join(dir, 'report.html');
      writeFileSync(file, renderReport({ title: 't', alerts: [alert, { ...alert, rule: 'second', labels: { partner: 'pharmacy' } }] }));
      const r = spawnSync(CHROMIUM!, ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', `--user-data-dir=${join(dir, 'profile')}`, '--dump-dom', `file://${file}`], { encoding: 'utf8', timeout: 60_000 });
      expect(r.status).toBe(0);
      expect(r.stdout.match(/<div class="chart" id="chart-\d+">/g)).toHaveLength(2);
      expect(r.stdout.match(/<canvas/g)).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
