// A small, bounded history of each active alert's measure (value and normal band), kept by the driver
// (the service, a replay) from the detector's `measure(rule, labels, now)` after every evaluation, and
// attached to the alert's transitions as `chart`, so a message can carry a picture of the series, its
// band and the alert span. The escalator never sees the detector: it gets these plain points. The
// console reads the same history live (chart(id)): to the last evaluation while the alert is active,
// and on to RESOLVED_MARGIN_MS after its resolve, so a responder sees it recover.
import type { AlertEvent, Labels } from '../model/index.js';

/** `[atMs, value, lower, upper]`; null where the detector had no measure or no band. */
export type ChartPoint = readonly [number, number | null, number | null, number | null];

export interface AlertChart {
  readonly points: readonly ChartPoint[];
  readonly activeSinceMs: number;
  readonly resolvedAtMs?: number;
}

export type MeasureFn = (rule: string, labels: Labels, nowMs: number) => { readonly value: number; readonly lower?: number; readonly upper?: number } | undefined;

/** Points kept per alert (thinned to every other one when full, so the whole span stays drawn), the
 *  least spacing between two, and alerts tracked at most. */
const MAX_POINTS = 240;
const MIN_SPACING_MS = 60_000;
const MAX_ALERTS = 200;
/** How far before the alert the chart looks, asked of the detector's measure at past instants (its
 *  tracks keep that much history), so the picture shows what normal looked like before it broke. */
const LOOK_BACK_MS = 60 * 60_000;
const LOOK_BACK_STEP_MS = 5 * 60_000;
/** How long a resolved alert's chart is kept (and still drawn on) after the resolve. */
export const RESOLVED_MARGIN_MS = 15 * 60_000;

interface Tracked {
  rule: string;
  kind?: string;
  labels: Labels;
  activeSinceMs: number;
  points: ChartPoint[];
  resolvedAtMs?: number;
}

/** An alert event as the driver hands it on: firing and resolved ones carry their chart. */
export type ChartedEvent = AlertEvent & { readonly chart?: AlertChart };

/** A recently resolved alert's chart, as the console lists it. */
export interface ResolvedChart {
  readonly id: string;
  readonly rule: string;
  readonly kind?: string;
  readonly labels: Labels;
  readonly chart: AlertChart;
}

export class ChartHistory {
  readonly #tracked = new Map<string, Tracked>();

  /** Records this evaluation's measures and returns the events, firing and resolved ones with `chart`. */
  observe(events: readonly AlertEvent[], nowMs: number, measure: MeasureFn | undefined): ChartedEvent[] {
    for (const [id, t] of this.#tracked) if (t.resolvedAtMs !== undefined && nowMs - t.resolvedAtMs > RESOLVED_MARGIN_MS) this.#tracked.delete(id);
    for (const e of events) {
      const known = this.#tracked.get(e.id);
      // Back before its margin ran out: a new alert, drawn afresh (with its own look-back).
      if (e.state === 'pending' && known?.resolvedAtMs !== undefined) this.#tracked.delete(e.id);
      if (e.state === 'pending' && !this.#tracked.has(e.id)) {
        if (this.#tracked.size >= MAX_ALERTS) this.#tracked.delete(this.#tracked.keys().next().value!);
        const kind = (e as AlertEvent & { kind?: string }).kind;
        this.#tracked.set(e.id, { rule: e.rule, ...(kind !== undefined ? { kind } : {}), labels: e.labels, activeSinceMs: e.activeSinceMs, points: measure ? lookBack(e, nowMs, measure) : [] });
      }
    }
    if (measure) {
      for (const t of this.#tracked.values()) {
        const last = t.points.at(-1);
        if (last && nowMs - last[0] < MIN_SPACING_MS) continue;
        const m = measure(t.rule, t.labels, nowMs);
        t.points.push(m ? [nowMs, finite(m.value), finite(m.lower), finite(m.upper)] : [nowMs, null, null, null]);
        if (t.points.length > MAX_POINTS) t.points = t.points.filter((_, i) => i % 2 === 0 || i === t.points.length - 1);
      }
    }
    const out = events.map((e) => {
      const t = this.#tracked.get(e.id);
      if (!t || e.state === 'pending' || t.points.length < 2) return e;
      const chart: AlertChart = { points: [...t.points], activeSinceMs: e.activeSinceMs, ...(e.state === 'resolved' ? { resolvedAtMs: e.atMs } : {}) };
      return { ...e, chart };
    });
    for (const e of events) {
      const t = this.#tracked.get(e.id);
      if (e.state === 'resolved' && t) t.resolvedAtMs = e.atMs;
    }
    return out;
  }

  /** The alert's chart as it stands: active, to the last evaluation; resolved, to the resolve and a margin after. */
  chart(id: string): AlertChart | undefined {
    const t = this.#tracked.get(id);
    if (!t || t.points.length < 2) return undefined;
    return { points: [...t.points], activeSinceMs: t.activeSinceMs, ...(t.resolvedAtMs !== undefined ? { resolvedAtMs: t.resolvedAtMs } : {}) };
  }

  /** Alerts resolved within the margin, newest first, with their charts. */
  resolved(): ResolvedChart[] {
    const out: ResolvedChart[] = [];
    for (const [id, t] of this.#tracked) {
      const chart = t.resolvedAtMs !== undefined ? this.chart(id) : undefined;
      if (chart) out.push({ id, rule: t.rule, ...(t.kind !== undefined ? { kind: t.kind } : {}), labels: t.labels, chart });
    }
    return out.sort((a, b) => b.chart.resolvedAtMs! - a.chart.resolvedAtMs!);
  }
}

/** The hour before the alert, every 5 minutes, where the detector can still measure it. */
function lookBack(e: AlertEvent, nowMs: number, measure: MeasureFn): ChartPoint[] {
  const points: ChartPoint[] = [];
  for (let at = e.activeSinceMs - LOOK_BACK_MS; at < Math.min(nowMs, e.activeSinceMs) - MIN_SPACING_MS / 2; at += LOOK_BACK_STEP_MS) {
    const m = measure(e.rule, e.labels, at);
    if (m) points.push([at, finite(m.value), finite(m.lower), finite(m.upper)]);
  }
  return points;
}

function finite(n: number | undefined): number | null {
  return n !== undefined && Number.isFinite(n) ? n : null;
}
