// Contract of the ingest part: reading recordings (files) and live scrapes (text) into the detector's
// Sample / SampleBatch (src/detect/types.ts). Both use one hand-written scanner (line-parser.ts).
import type { Labels } from '../model/index.js';

/** A line that was skipped. The run goes on; the caller decides how loudly to say so. */
export interface MalformedLine {
  /** The recording's path, or the scrape target for live scrapes. */
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;
  /** The offending line, cut to 200 characters. */
  readonly text: string;
  /** What is wrong, and where possible what would be right. */
  readonly reason: string;
  /** `file:line: reason`, ready to print. */
  readonly message: string;
}

export type OnMalformed = (m: MalformedLine) => void;

/** Counters the reader fills in as it goes (pass an object to read them during or after the run). */
export interface ReadStats {
  lines: number;
  samples: number;
  batches: number;
  malformed: number;
  /** Distinct series seen (interned). */
  series: number;
}

export interface ReadRecordingOptions {
  /** CSV only: the metric name of the one series (default: the file's base name). */
  readonly metric?: string;
  readonly onMalformed?: OnMalformed;
  readonly stats?: ReadStats;
  /** Force the format instead of sniffing it from the extension and first line. */
  readonly format?: RecordingFormat;
}

export type RecordingFormat = 'openmetrics' | 'csv';

export interface ParseExpositionOptions {
  /** Scrape target name: set on every sample, and named in malformed-line reports. */
  readonly target: string;
  /** Timestamp for samples that carry none (a live scrape usually has none). */
  readonly nowMs: number;
  readonly onMalformed?: OnMalformed;
  /** Reuse one interner across scrapes of a target so its series share Labels objects. */
  readonly interner?: SeriesInternerLike;
  /** Lines before `text` (a caller parsing a body in slices): malformed lines are numbered after them. */
  readonly firstLine?: number;
}

/** One distinct series, shared by every sample of it. */
export interface InternedSeries {
  readonly name: string;
  readonly labels: Labels;
  /** Canonical identity: name plus labels sorted by name, values escaped: `up{instance="a",job="b"}`. */
  readonly series: string;
}

export interface SeriesInternerLike {
  readonly size: number;
}
