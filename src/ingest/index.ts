// Ingest: recordings (OpenMetrics / Prometheus text with timestamps, or CSV) and live scrapes into the
// detector's samples. See docs/recording.md.
export { readRecording, sniffFormat, newReadStats } from './read-recording.js';
export { parseExposition } from './exposition.js';
export { SeriesInterner } from './series-interner.js';
export { canonicalSeries } from '../model/index.js';
export { metricNameFromFile } from './csv.js';
export type { MalformedLine, OnMalformed, ReadStats, ReadRecordingOptions, ParseExpositionOptions, RecordingFormat, InternedSeries } from './types.js';
