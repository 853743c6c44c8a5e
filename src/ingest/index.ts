// Ingest: recordings (OpenMetrics / Prometheus text with timestamps, or CSV) and live scrapes into the
// detector's samples. See docs/recording.md.
export { readRecording, sniffFormat, newReadStats } from './read-recording.js';
export { parseExposition } from './exposition.js';
export { SeriesInterner, canonicalSeries } from './series-interner.js';
export { metricNameFromFile } from './csv.js';
export type { MalformedLine, OnMalformed, ReadStats, ReadRecordingOptions, ParseExpositionOptions, RecordingFormat, InternedSeries } from './types.js';
