// What flows from ingest (recordings, scrapes) into the detector: samples, grouped by evaluation instant.
import type { Labels } from './labels.js';

/** One sample as exposed: `name` is the Prometheus name as scraped (e.g. `integration_requests_total`,
 *  `db_client_operation_duration_seconds_bucket`), labels exclude `__name__`. */
export interface Sample {
  readonly name: string;
  readonly labels: Labels;
  readonly value: number;
  /** Milliseconds since the epoch. */
  readonly timestampMs: number;
  /** Canonical series identity (`seriesId`): name plus labels sorted by name, e.g. `up{job="a"}`. */
  readonly series: string;
  /** Which scrape target the sample came from (a counter reset is per target). Optional in recordings. */
  readonly target?: string;
}

/** The samples of one evaluation instant (one scrape round). `atMs` is "now" for the step. */
export interface SampleBatch {
  readonly atMs: number;
  readonly samples: readonly Sample[];
  /** Scrape targets failing now (the service): alerts their series fed are held as they are, not resolved. */
  readonly unreachableTargets?: ReadonlySet<string>;
}
