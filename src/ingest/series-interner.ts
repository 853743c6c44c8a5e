// One shared Labels object and canonical `series` string per distinct series. Lookups are keyed by the
// raw `name{labels}` text as written, so the hot loop never re-parses or re-sorts known series; two
// label orders of one series map to the same interned entry.
import { canonicalSeries, sortedLabelPairs } from '../model/index.js';
import type { InternedSeries, SeriesInternerLike } from './types.js';

/** A raw spelling of a series as written in the text. `next` remembers which spelling followed it
 *  last time: scrapes repeat in the same order, so the next line is usually predicted by one compare. */
export interface RawKey {
  readonly key: string;
  readonly entry: InternedSeries;
  next: RawKey | undefined;
  /** The spelling that followed before `next` (label orders and family orders alternate). */
  alt: RawKey | undefined;
}

export class SeriesInterner implements SeriesInternerLike {
  /** Text is decoded as latin1 (one char per byte, cheap); names and values are re-decoded as UTF-8. */
  readonly latin1: boolean;
  private readonly byRawKey = new Map<string, RawKey>();
  private readonly byCanonical = new Map<string, InternedSeries>();

  get size(): number {
    return this.byCanonical.size;
  }

  constructor(opts: { latin1?: boolean } = {}) {
    this.latin1 = opts.latin1 ?? false;
  }

  lookup(rawKey: string): RawKey | undefined {
    return this.byRawKey.get(rawKey);
  }

  /** Registers a series parsed from `rawKey`. Strings are copied so the map never pins a 1 MiB read chunk. */
  add(rawKey: string, name: string, labelPairs: Array<[string, string]>): RawKey {
    if (this.latin1) {
      name = utf8(name);
      labelPairs = labelPairs.map(([k, v]) => [k, utf8(v)]);
    }
    const sorted = sortedLabelPairs(labelPairs);
    const series = canonicalSeries(name, sorted);
    let entry = this.byCanonical.get(series);
    if (!entry) {
      const labels: Record<string, string> = {};
      for (const [k, v] of sorted) labels[detach(k)] = detach(v);
      entry = { name: detach(name), labels: Object.freeze(labels), series: detach(series) };
      this.byCanonical.set(entry.series, entry);
    }
    const raw: RawKey = { key: detach(rawKey), entry, next: undefined, alt: undefined };
    this.byRawKey.set(raw.key, raw);
    return raw;
  }
}

function utf8(latin1Text: string): string {
  return Buffer.from(latin1Text, 'latin1').toString('utf8');
}

/** A fresh flat copy: a substring of a big chunk would otherwise keep the whole chunk alive. */
function detach(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}
