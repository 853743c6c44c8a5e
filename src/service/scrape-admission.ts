// What of one parsed scrape the detector may see, in the manner of Prometheus' scrape loop: the target's
// labels (instance, labels) put on every series, one sample per series (the first; duplicates dropped),
// no non-finite counter value, no sample stamped too old or too far ahead, and the scrape limits
// (sample_limit, label_limit, new_series_limit) that fail a scrape whole. Every sample turned away is
// counted by reason: nothing is dropped or accepted silently.
import { seriesId, type Sample } from '../model/index.js';
import { SeriesInterner } from '../ingest/index.js';
import type { TargetConfig } from './config.js';

/** Why a sample was turned away: the `reason` label of sentinel_scrape_samples_rejected_total. */
export type SampleRejection = 'duplicate' | 'non_finite' | 'too_old' | 'too_far_ahead';
export const SAMPLE_REJECTIONS: readonly SampleRejection[] = ['duplicate', 'non_finite', 'too_old', 'too_far_ahead'];
/** A limit that failed the scrape whole, as a `reason` of sentinel_scrape_failures_total. */
export type LimitFailure = 'sample_limit' | 'label_limit' | 'new_series_limit';

export const DEFAULT_MAX_SAMPLE_AGE_MS = 10 * 60_000;
export const DEFAULT_MAX_FUTURE_SKEW_MS = 60_000;

export type Rejected = Record<SampleRejection, number>;

const ADMIT_SLICE = 16_384;

export type Admission =
  | { readonly ok: true; readonly samples: Sample[]; readonly rejected: Rejected; readonly newSeries: number }
  | { readonly ok: false; readonly reason: LimitFailure; readonly detail: string; readonly rejected: Rejected };

/** Counters are cumulative: +Inf or NaN in one would poison every increase after it. */
const COUNTER_SUFFIX = /_(total|count|bucket|sum)$/;

/** What a target's scrapes remember of each other: the parser's interner (known series are found by their
 *  text alone), the labels each exposed series becomes, and in which scrape each series was last seen. */
export class TargetMemory {
  interner = new SeriesInterner();
  #relabeled = new Map<string, { labels: Sample['labels']; series: string }>();
  /** Series -> the number of the last scrape that had it: one map updated in place, no set per scrape. */
  #seenIn = new Map<string, number>();
  /** Scrapes admitted so far (accepted or failed by a limit). */
  #scrape = 0;

  /** Keeps the caches near the size of one scrape, so churning label sets cannot grow them forever. */
  #trim(lastScrape: number): void {
    const bound = 2 * lastScrape + 1_000;
    if (this.interner.size > bound) this.interner = new SeriesInterner();
    if (this.#relabeled.size > bound) this.#relabeled.clear();
    if (this.#seenIn.size > bound) for (const [series, n] of this.#seenIn) if (n < this.#scrape) this.#seenIn.delete(series);
  }

  async admit(parsed: readonly Sample[], target: TargetConfig, nowMs: number): Promise<Admission> {
    const rejected: Rejected = { duplicate: 0, non_finite: 0, too_old: 0, too_far_ahead: 0 };
    const oldest = nowMs - (target.maxSampleAgeMs ?? DEFAULT_MAX_SAMPLE_AGE_MS);
    const newest = nowMs + (target.maxFutureSkewMs ?? DEFAULT_MAX_FUTURE_SKEW_MS);
    const relabel = targetLabeler(target, this.#relabeled);
    const seenIn = this.#seenIn;
    const scrape = ++this.#scrape;
    // New: not in the target's last scrape (a burst of new series fails one scrape, a churning label all).
    const previous = scrape - 1;
    let newSeries = 0;
    const samples: Sample[] = [];
    for (let i = 0; i < parsed.length; i++) {
      // A turn of the event loop every slice: this loop over 100 k samples is the scrape's longest.
      if (i > 0 && i % ADMIT_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
      const raw = parsed[i]!;
      const sample = relabel ? relabel(raw) : raw;
      const last = seenIn.get(sample.series);
      if (last === scrape) { rejected.duplicate++; continue; }
      seenIn.set(sample.series, scrape);
      if (last === undefined || last !== previous) newSeries++;
      if (!Number.isFinite(sample.value) && COUNTER_SUFFIX.test(sample.name)) { rejected.non_finite++; continue; }
      if (sample.timestampMs < oldest) { rejected.too_old++; continue; }
      if (sample.timestampMs > newest) { rejected.too_far_ahead++; continue; }
      if (target.labelLimit !== undefined && Object.keys(sample.labels).length > target.labelLimit) {
        return { ok: false, reason: 'label_limit', detail: `${sample.name} has more than ${target.labelLimit} labels`, rejected };
      }
      samples.push(sample);
    }
    if (target.sampleLimit !== undefined && samples.length > target.sampleLimit) {
      return { ok: false, reason: 'sample_limit', detail: `${samples.length} samples, over sample_limit ${target.sampleLimit}`, rejected };
    }
    // The first scrape only introduces the target: its series are all new by definition.
    if (previous > 0 && target.newSeriesLimit !== undefined && newSeries > target.newSeriesLimit) {
      return { ok: false, reason: 'new_series_limit', detail: `${newSeries} series not in the last scrape, over new_series_limit ${target.newSeriesLimit}`, rejected };
    }
    this.#trim(samples.length);
    return { ok: true, samples, rejected, newSeries };
  }
}

/** The target's labels onto a sample, cached per exposed series; undefined when the target adds none. */
function targetLabeler(target: TargetConfig, cache: Map<string, { labels: Sample['labels']; series: string }>): ((s: Sample) => Sample) | undefined {
  const extra: Record<string, string> = { ...target.labels };
  if (target.instance !== undefined) extra.instance = target.instance;
  if (Object.keys(extra).length === 0) return undefined;
  const honor = target.honorLabels ?? true;
  return (sample) => {
    let hit = cache.get(sample.series);
    if (!hit) {
      const labels = honor ? { ...extra, ...sample.labels } : overriding(sample.labels, extra);
      hit = { labels, series: seriesId(sample.name, labels) };
      cache.set(sample.series, hit);
    }
    return { ...sample, labels: hit.labels, series: hit.series };
  };
}

/** honor_labels: false. The target's labels win; an exporter's clashing label is kept as exported_<name>. */
function overriding(own: Sample['labels'], extra: Readonly<Record<string, string>>): Record<string, string> {
  const labels: Record<string, string> = { ...own };
  for (const [name, value] of Object.entries(extra)) {
    if (name in labels && labels[name] !== value) labels[`exported_${name}`] = labels[name]!;
    labels[name] = value;
  }
  return labels;
}
