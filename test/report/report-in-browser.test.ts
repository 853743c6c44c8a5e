// The HTML report as a person sees it, in Debian's Chromium driven by playwright-core: the peaks said
// as a person would (100%, 5 h), every time in one format with the zone named, a legend whose swatches
// are the colours the charts paint, pending amber and firing red, a chart for a pending-only alert,
// axis labels that never overlap, and an empty report that says why it is empty.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { humanValue, renderReport, type ReportAlert, type ReportPoint } from '../../src/report/index.js';
import { canvasTextRecorder, drawnTexts, overlaps, pixelOnScreen, type DrawnText } from './support/page-reading.ts';

const CHROMIUM = '/usr/bin/chromium';
const MIN = 60_000;
const HOUR = 60 * MIN;
const start = Date.UTC(2026, 2, 9, 0);

function series(minutes: number, value: (i: number) => number, band: (i: number) => [number, number] | null): ReportPoint[] {
  const points: ReportPoint[] = [];
  for (let i = 0; i < minutes; i++) {
    const b = band(i);
    points.push([start + i * MIN, value(i), b ? b[0] : null, b ? b[1] : null]);
  }
  return points;
}

/** A partner's calls all failing for an hour: the error ratio goes to 100 %. */
const errorRate: ReportAlert = {
  rule: 'partner_error_rate', severity: 'critical', labels: { partner: 'acme_ehr' },
  fromMs: start + 10 * HOUR, firingMs: start + 10 * HOUR + 30 * MIN, toMs: start + 11 * HOUR,
  summary: 'acme_ehr errors', valueLabel: 'error ratio', unit: 'ratio', peak: 1,
  points: series(24 * 60, (i) => (i >= 600 && i < 660 ? 1 : 0.02 + (i % 7) / 1000), (i) => (i < 60 ? null : [0, 0.06])),
};

/** A queue whose oldest event waited 5 hours, over two days: long x range, large y values. */
const backlog: ReportAlert = {
  rule: 'queue_backlog', severity: 'warning', labels: { queue: 'patient-sync' },
  fromMs: start + 20 * HOUR, firingMs: start + 20 * HOUR + 15 * MIN, toMs: start + 26 * HOUR,
  valueLabel: 'oldest pending event, seconds', unit: 'seconds', peak: 5 * 3600,
  points: series(48 * 60, (i) => (i >= 1200 && i < 1560 ? (i - 1200) * 50 : 30), () => [0, 600]),
};

/** A code shift that held for 20 minutes of its 30-minute `for`: pending, never fired. */
const pendingOnly: ReportAlert = {
  rule: 'partner_error_code_shift', severity: 'critical', labels: { partner: 'quest_labs', error_code: '403' },
  fromMs: start + 14 * HOUR, toMs: start + 14 * HOUR + 20 * MIN, neverFired: true,
  valueLabel: 'share of calls with this code', unit: 'ratio', peak: 0.4,
  points: series(24 * 60, (i) => (i >= 840 && i < 860 ? 0.4 : 0.01), () => [0, 0.05]),
};

/** Big numbers on the value axis: a million calls a minute. */
const bigNumbers: ReportAlert = {
  rule: 'partner_success_drop', severity: 'critical', labels: { partner: 'big_payer' },
  fromMs: start + 9 * HOUR, firingMs: start + 9 * HOUR + 10 * MIN, toMs: start + 9 * HOUR + 50 * MIN,
  valueLabel: 'successes per window', unit: 'number', peak: 12,
  points: series(24 * 60, (i) => (i >= 540 && i < 590 ? 12 : 1_234_567 + (i % 13) * 1000), (i) => [1_100_000 + i, 1_400_000 + i]),
};

const canRun = existsSync(CHROMIUM);
if (!canRun) console.warn(`SKIPPED the report browser test: ${CHROMIUM} not installed (apt-get install chromium; .ci/run does).`);

describe.skipIf(!canRun)('the HTML report in Chromium, as a person sees it', () => {
  let browser: Browser;
  let dir: string;
  let page: Page;
  let texts: DrawnText[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sentinel-report-browser-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const file = join(dir, 'report.html');
    writeFileSync(file, renderReport({ title: 'Backtest of rules/ on march.om', alerts: [errorRate, backlog, pendingOnly, bigNumbers], meta: { data: 'march.om' } }));
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.addInitScript(canvasTextRecorder);
    const offline: string[] = [];
    await page.route(/^(?!file:|data:)/, (route) => { offline.push(route.request().url()); return route.abort(); });
    await page.goto(`file://${file}`);
    await page.waitForFunction(() => (window as unknown as { sentinelCharts?: unknown[] }).sentinelCharts?.length === 4);
    expect(offline, 'the page fetches nothing').toEqual([]);
    texts = await drawnTexts(page);
    const shot = process.env.SENTINEL_REPORT_SCREENSHOT;
    if (shot) await page.screenshot({ path: shot, fullPage: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('says the peaks as a person would: 100%, 5 h, 40%, 12', async () => {
    const peaks = await page.locator('table.alerts tbody tr td:last-child').allInnerTexts();
    // Sorted by start time: the big-number drop (09:00), the error rate (10:00), the code shift (14:00), the backlog (20:00).
    expect(peaks).toEqual(['12', '100%', '40%', '5 h']);
    const durations = await page.locator('table.alerts tbody tr td:nth-child(7)').allInnerTexts();
    expect(durations).toEqual(['50 min', '60 min', '20 min', '6 h']);
  });

  it('writes every time in one format, ISO 8601 in UTC, and names the zone', async () => {
    const headers = await page.locator('table.alerts thead th').allInnerTexts();
    expect(headers.filter((h) => /pending|firing|resolved/.test(h))).toEqual(['pending (UTC)', 'firing (UTC)', 'resolved (UTC)']);
    const cells = (await page.locator('table.alerts tbody tr').evaluateAll((rows) => rows.map((r) => [3, 4, 5].map((i) => r.children[i]!.textContent!)))).flat();
    for (const cell of cells) expect(cell).toMatch(/^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ|never fired|still firing|still pending)$/);
    await expect.poll(() => page.locator('.legend').innerText()).toContain('All times are UTC');
    // The chart's time axis speaks the same format: HH:MM ticks, the date on a second line, titled UTC.
    const xTicks = texts.filter((t) => t.chart === 'chart-1' && /^\d\d:\d\d$|^\d{4}-\d\d-\d\d$/.test(t.text));
    expect(xTicks.length).toBeGreaterThan(3);
    expect(texts.some((t) => t.chart === 'chart-1' && t.text === 'time (UTC)')).toBe(true);
    // Hovering a chart shows the time under the cursor in the same format.
    await page.locator('#chart-1 .u-over').hover();
    await expect.poll(() => page.locator('#chart-1 .u-legend .u-series').first().innerText()).toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
  });

  it('has a legend that explains the line, the band and the two shadings, in the colours the chart paints', async () => {
    const legend = page.locator('.legend');
    expect(await legend.isVisible()).toBe(true);
    const text = await legend.innerText();
    expect(text).toMatch(/line.*value the rule watches/);
    expect(text).toMatch(/green band.*learned normal.*lower and upper bound/);
    expect(text).toMatch(/amber.*pending/);
    expect(text).toMatch(/red.*firing/);
    const pendingSwatch = await pixelOnScreen(page, { selector: '.swatch-pending' });
    const firingSwatch = await pixelOnScreen(page, { selector: '.swatch-firing' });
    // chart-1 is the error rate: pending 10:00-10:30, firing 10:30-11:00, nothing shaded at 06:00.
    const pending = await pixelOnScreen(page, { chart: 1, atMs: errorRate.fromMs + 15 * MIN });
    const firing = await pixelOnScreen(page, { chart: 1, atMs: errorRate.firingMs! + 15 * MIN });
    const clear = await pixelOnScreen(page, { chart: 1, atMs: start + 6 * HOUR });
    expect(distance(pending, firing), `pending ${pending} and firing ${firing} look alike`).toBeGreaterThan(40);
    expect(distance(pending, pendingSwatch), `pending ${pending} vs its legend ${pendingSwatch}`).toBeLessThan(8);
    expect(distance(firing, firingSwatch), `firing ${firing} vs its legend ${firingSwatch}`).toBeLessThan(8);
    expect(distance(clear, [255, 255, 255])).toBeLessThan(8);
  });

  it('draws a chart for a pending-only alert too, amber throughout and marked as never fired', async () => {
    expect(await page.locator('.chart canvas').count()).toBe(4);
    const row = page.locator('table.alerts tbody tr', { hasText: 'partner_error_code_shift' });
    expect(await row.locator('td:nth-child(5)').innerText()).toBe('never fired');
    expect(await page.locator('#chart-2 .sub').innerText()).toContain('pending only, never fired');
    const pendingSwatch = await pixelOnScreen(page, { selector: '.swatch-pending' });
    const inside = await pixelOnScreen(page, { chart: 2, atMs: pendingOnly.fromMs + 10 * MIN });
    expect(distance(inside, pendingSwatch), `pending-only span ${inside}`).toBeLessThan(8);
  });

  it('never lets two axis labels overlap, nor one run off its chart', () => {
    expect(texts.length).toBeGreaterThan(40);
    // The value axes in the charts' units: percentages, durations, grouped thousands.
    expect(texts.some((t) => t.chart === 'chart-1' && /^\d+%$/.test(t.text))).toBe(true);
    const secondsTicks = texts.filter((t) => t.chart === 'chart-3' && / (s|min|h)$/.test(t.text)).map((t) => t.text);
    expect(secondsTicks.length).toBeGreaterThanOrEqual(3);
    for (const tick of secondsTicks) expect(tick, 'seconds tick at whole hours').toMatch(/^(0 s|\d+ h)$/);
    expect(texts.some((t) => t.chart === 'chart-0' && /^\d{1,3}(,\d{3})+$/.test(t.text))).toBe(true);
    const problems: string[] = [];
    for (const chart of new Set(texts.map((t) => t.chart))) {
      const mine = texts.filter((t) => t.chart === chart);
      for (const t of mine) if (t.box[0] < 0 || t.box[1] < 0 || t.box[2] > t.canvas[0] || t.box[3] > t.canvas[1]) problems.push(`${chart}: "${t.text}" runs off the chart`);
      for (let i = 0; i < mine.length; i++) {
        for (let j = i + 1; j < mine.length; j++) if (overlaps(mine[i]!.box, mine[j]!.box)) problems.push(`${chart}: "${mine[i]!.text}" overlaps "${mine[j]!.text}"`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('formats values in the page exactly as in the table', async () => {
    const cases: Array<[number, 'ratio' | 'seconds' | 'number']> = [[1, 'ratio'], [0.17612, 'ratio'], [18_000, 'seconds'], [0.25, 'seconds'], [90, 'seconds'], [1_234_567, 'number'], [0.17612, 'number'], [0, 'number']];
    const inPage = await page.evaluate((list) => list.map(([v, u]) => (window as unknown as { sentinelFormat: { value(v: number, u: string): string } }).sentinelFormat.value(v, u)), cases);
    expect(inPage).toEqual(cases.map(([v, u]) => humanValue(v, u)));
  });

  it('says "no rule matched any series" when that is why a report is empty', async () => {
    const file = join(dir, 'empty.html');
    writeFileSync(file, renderReport({ title: 'Backtest of rules/ on other.om', alerts: [], coverage: { rules: ['partner_error_rate', 'queue_backlog'], withoutSeries: ['partner_error_rate', 'queue_backlog'] } }));
    const empty = await browser.newPage();
    try {
      await empty.goto(`file://${file}`);
      const body = await empty.locator('body').innerText();
      expect(body).toContain('no rule matched any series');
      expect(body).toContain('partner_error_rate');
      expect(body).not.toContain('stayed quiet');
    } finally {
      await empty.close();
    }
  });
});

function distance(a: readonly number[], b: readonly number[]): number {
  return Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);
}
