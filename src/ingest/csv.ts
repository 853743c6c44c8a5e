// CSV recordings (`timestamp,value` with a header row, as the NAB corpus): one series, named after the
// file unless the caller says otherwise. Timestamps are ISO-8601 (a time without a zone is UTC) or
// epoch seconds / milliseconds.
import { basename, extname } from 'node:path';
import { scanNumber, timestampToMs } from './numbers.js';

/** `art_daily-jumps up.csv` → `art_daily_jumps_up`: a valid Prometheus metric name. */
export function metricNameFromFile(file: string): string {
  const base = basename(file, extname(file)).replace(/[^a-zA-Z0-9_:]/g, '_');
  return /^[a-zA-Z_:]/.test(base) ? base : '_' + base;
}

export interface CsvColumns {
  readonly timestamp: number;
  readonly value: number;
}

/** Reads the header row; undefined when the first row is already data (then columns are 0, 1). */
export function csvHeader(line: string): CsvColumns | undefined {
  const cells = line.split(',').map((c) => c.trim().replace(/^"|"$/g, '').toLowerCase());
  const timestamp = cells.findIndex((c) => c === 'timestamp' || c === 'time' || c === 'ts');
  const value = cells.findIndex((c) => c === 'value');
  if (timestamp >= 0 && value >= 0) return { timestamp, value };
  return undefined;
}

const ISO_ZONE = /(?:Z|[+-]\d\d:?\d\d)$/i;

/** Parses one timestamp cell to ms, or undefined. */
export function csvTimestampMs(cell: string): number | undefined {
  const t = cell.trim().replace(/^"|"$/g, '');
  if (t === '') return undefined;
  const epoch = scanNumber(t, 0, t.length);
  if (epoch !== undefined) return Number.isFinite(epoch) ? timestampToMs(epoch) : undefined;
  if (!/^\d{4}-\d\d-\d\d/.test(t)) return undefined;
  let iso = t.replace(' ', 'T');
  if (!ISO_ZONE.test(iso) && iso.includes('T')) iso += 'Z';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

export type CsvRow = { ok: true; timestampMs: number; value: number } | { ok: false; reason: string };

export function parseCsvRow(line: string, columns: CsvColumns): CsvRow {
  const cells = line.split(',');
  const tsCell = cells[columns.timestamp];
  const valueCell = cells[columns.value];
  if (tsCell === undefined || valueCell === undefined) {
    return { ok: false, reason: `expected ${Math.max(columns.timestamp, columns.value) + 1} columns (timestamp,value), found ${cells.length}` };
  }
  const timestampMs = csvTimestampMs(tsCell);
  if (timestampMs === undefined) {
    return { ok: false, reason: `timestamp "${tsCell.trim()}" is neither ISO-8601 (2014-04-01 00:00:00) nor epoch seconds` };
  }
  const v = valueCell.trim().replace(/^"|"$/g, '');
  const value = v === '' ? undefined : scanNumber(v, 0, v.length);
  if (value === undefined) return { ok: false, reason: `value "${v}" is not a number` };
  return { ok: true, timestampMs, value };
}
