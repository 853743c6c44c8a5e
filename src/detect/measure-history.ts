// A bounded look-back of what a rule measured for each of its series: every 5 minutes, the value and
// band of every live series (one per entity, or one per entity and code), for the last 80 minutes.
// A chart drawn when an alert goes pending asks measure() about the hour before it; most kinds keep
// their fine history for only a window (10 minutes for a share) and some read only their latest
// level, so without this the picture would start where the outage does. Memory only (a restart
// starts the look-back afresh); at most POINTS points per series, series dropped with their entity.
import type { Measure } from './kinds/kind.js';

export const HISTORY_STEP_MS = 5 * 60_000;
const KEEP_MS = 80 * 60_000;
const POINTS = Math.ceil(KEEP_MS / HISTORY_STEP_MS) + 1;

interface Ring {
  readonly labels: Readonly<Record<string, string>>;
  readonly t: number[];
  readonly m: Measure[];
}

export class MeasureHistory {
  /** Entity key -> its series' rings. */
  readonly #rings = new Map<string, Ring[]>();
  lastMs = 0;

  due(nowMs: number): boolean {
    return nowMs - this.lastMs >= HISTORY_STEP_MS;
  }

  /** Records one series' measure now (undefined: it had none). */
  record(entity: string, labels: Readonly<Record<string, string>>, m: Measure | undefined, nowMs: number): void {
    let rings = this.#rings.get(entity);
    if (!rings) this.#rings.set(entity, (rings = []));
    let ring = rings.find((r) => sameLabels(r.labels, labels));
    if (!ring) rings.push((ring = { labels: { ...labels }, t: [], m: [] }));
    if (!m) return;
    ring.t.push(nowMs);
    ring.m.push(m);
    if (ring.t.length > POINTS) {
      ring.t.shift();
      ring.m.shift();
    }
  }

  /** Drops the rings of entities not recorded in this round (gone stale or forgotten). */
  keepOnly(entities: ReadonlySet<string>, nowMs: number): void {
    this.lastMs = nowMs;
    for (const key of this.#rings.keys()) if (!entities.has(key)) this.#rings.delete(key);
  }

  /** The measure recorded at or just before `atMs` for the series these alert labels name. */
  at(entity: string, alertLabels: Readonly<Record<string, string>>, atMs: number): Measure | undefined {
    const ring = this.#rings.get(entity)?.find((r) => Object.entries(r.labels).every(([k, v]) => alertLabels[k] === v));
    if (!ring) return undefined;
    for (let i = ring.t.length - 1; i >= 0; i--) {
      if (ring.t[i]! > atMs) continue;
      return atMs - ring.t[i]! <= HISTORY_STEP_MS + 2 * 60_000 ? ring.m[i] : undefined;
    }
    return undefined;
  }
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}
