// Reading a page as a person does where the DOM cannot say it: the text a canvas paints (uPlot draws
// its axes with fillText) with the box each label covers, and the colour of a pixel on the screenshot.
import type { Page } from 'playwright-core';

export interface DrawnText {
  /** The id of the `.chart` the canvas sits in. */
  readonly chart: string;
  readonly text: string;
  /** [left, top, right, bottom] in canvas pixels, after the context's transform (rotation, pixel ratio). */
  readonly box: readonly [number, number, number, number];
  /** The canvas' [width, height] in its own pixels. */
  readonly canvas: readonly [number, number];
}

/** Runs in the page before its scripts: records every fillText with the box the text covers. */
export function canvasTextRecorder(): void {
  const drawn: Array<{ canvas: HTMLCanvasElement; text: string; box: number[] }> = [];
  (window as unknown as { __drawnTexts: typeof drawn }).__drawnTexts = drawn;
  const fillText = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text: string, x: number, y: number, maxWidth?: number) {
    const m = this.measureText(text);
    const t = this.getTransform();
    const corners = [
      [x - m.actualBoundingBoxLeft, y - m.actualBoundingBoxAscent],
      [x + m.actualBoundingBoxRight, y - m.actualBoundingBoxAscent],
      [x - m.actualBoundingBoxLeft, y + m.actualBoundingBoxDescent],
      [x + m.actualBoundingBoxRight, y + m.actualBoundingBoxDescent],
    ].map(([a, b]) => [t.a * a! + t.c * b! + t.e, t.b * a! + t.d * b! + t.f]);
    const xs = corners.map((c) => c[0]!);
    const ys = corners.map((c) => c[1]!);
    if (String(text).trim() !== '') drawn.push({ canvas: this.canvas, text: String(text), box: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] });
    return maxWidth === undefined ? fillText.call(this, text, x, y) : fillText.call(this, text, x, y, maxWidth);
  };
}

/** The recorded labels of the last draw of each canvas (a redraw paints the same labels again). */
export async function drawnTexts(page: Page): Promise<DrawnText[]> {
  return page.evaluate(() => {
    const drawn = (window as unknown as { __drawnTexts: Array<{ canvas: HTMLCanvasElement; text: string; box: number[] }> }).__drawnTexts;
    const seen = new Set<string>();
    const out: DrawnText[] = [];
    for (const d of drawn) {
      const chart = d.canvas.closest('.chart')?.id ?? '?';
      const key = `${chart}|${d.text}|${d.box.map((v) => v.toFixed(1)).join(',')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ chart, text: d.text, box: d.box as unknown as DrawnText['box'], canvas: [d.canvas.width, d.canvas.height] });
    }
    return out;
  });
}

/** Two boxes share more than half a pixel each way. */
export function overlaps(a: DrawnText['box'], b: DrawnText['box']): boolean {
  return Math.min(a[2], b[2]) - Math.max(a[0], b[0]) > 0.5 && Math.min(a[3], b[3]) - Math.max(a[1], b[1]) > 0.5;
}

/**
 * The colour a person sees, read from a screenshot of the page: at the centre of an element, or in a
 * chart's plot area at a time (the most common colour of a small patch near the top, where no value
 * line runs; the mode ignores a one-pixel grid line).
 */
export async function pixelOnScreen(page: Page, where: { selector: string } | { chart: number; atMs: number }): Promise<[number, number, number]> {
  const point = await page.evaluate((w) => {
    if ('selector' in w) {
      const r = document.querySelector(w.selector)!.getBoundingClientRect();
      return { x: r.left + r.width / 2 + scrollX, y: r.top + r.height / 2 + scrollY, strip: 1 };
    }
    const u = (window as unknown as { sentinelCharts: Array<{ valToPos(v: number, s: string): number; bbox: { top: number }; over: HTMLElement }> }).sentinelCharts[w.chart]!;
    const over = u.over.getBoundingClientRect();
    return { x: over.left + u.valToPos(w.atMs / 1000, 'x') + scrollX, y: over.top + 4 + scrollY, strip: 16 };
  }, where);
  const png = (await page.screenshot({ fullPage: true })).toString('base64');
  return page.evaluate(async ({ png, point }) => {
    const img = new Image();
    img.src = `data:image/png;base64,${png}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const counts = new Map<string, number>();
    const half = Math.floor(point.strip / 4);
    for (let dy = 0; dy < point.strip; dy++) {
      for (let dx = -half; dx <= half; dx++) {
        const [r, g, b] = ctx.getImageData(Math.round(point.x) + dx, Math.round(point.y) + dy, 1, 1).data;
        const key = `${r},${g},${b}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    const [best] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    return best.split(',').map(Number) as [number, number, number];
  }, { png, point });
}
