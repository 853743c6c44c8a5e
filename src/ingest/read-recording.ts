// Streams a recording file into SampleBatches, one per scrape timestamp, in file order. Reads 1 MiB
// chunks and splits lines by hand; memory stays flat however long the file (only the interned series
// and the batch in hand are kept). A malformed line is reported and skipped; the run goes on.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Sample, SampleBatch } from '../model/index.js';
import { csvHeader, metricNameFromFile, parseCsvRow, type CsvColumns } from './csv.js';
import { BatchAssembler } from './batch-assembler.js';
import { LineParser } from './line-parser.js';
import { malformedLine } from './malformed.js';
import { SeriesInterner } from './series-interner.js';
import type { ReadRecordingOptions, ReadStats, RecordingFormat } from './types.js';

const CHUNK_BYTES = 1 << 20;
const MAX_LINE_CHARS = 16 << 20;

export function newReadStats(): ReadStats {
  return { lines: 0, samples: 0, batches: 0, malformed: 0, series: 0 };
}

/** CSV when the extension says so or the first line is a `timestamp,value` header; else OpenMetrics. */
export async function sniffFormat(file: string): Promise<RecordingFormat> {
  if (/\.csv$/i.test(file)) return 'csv';
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const firstLine = (buf.toString('utf8', 0, bytesRead).split('\n', 1)[0] ?? '').replace(/^\uFEFF/, '');
    return csvHeader(firstLine) ? 'csv' : 'openmetrics';
  } finally {
    await handle.close();
  }
}

/** The file as big chunks decoded as latin1: one char per byte, so decoding is a copy and a UTF-8
 *  character split across chunks needs no care. The interner re-decodes names and label values. */
async function* chunks(file: string): AsyncGenerator<string> {
  const stream = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  let first = true;
  for await (const chunk of stream) {
    const buf = chunk as Buffer;
    // A UTF-8 byte-order mark (spreadsheet exports) is not part of the first line.
    const skip = first && buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
    first = false;
    yield buf.toString('latin1', skip);
  }
}

function utf8(latin1Text: string): string {
  return Buffer.from(latin1Text, 'latin1').toString('utf8');
}

/** Both readers hand out the batches a chunk completed the same way: counted into `stats` as each goes out. */
function* handOut(ready: SampleBatch[], stats: ReadStats): Generator<SampleBatch> {
  for (const b of ready) {
    stats.batches++;
    stats.samples += b.samples.length;
    yield b;
  }
  ready.length = 0;
}

export async function* readRecording(file: string, opts: ReadRecordingOptions = {}): AsyncGenerator<SampleBatch> {
  const format = opts.format ?? (await sniffFormat(file));
  if (format === 'csv') yield* readCsv(file, opts);
  else yield* readOpenMetrics(file, opts);
}

async function* readOpenMetrics(file: string, opts: ReadRecordingOptions): AsyncGenerator<SampleBatch> {
  const stats = opts.stats ?? newReadStats();
  const interner = new SeriesInterner({ latin1: true });
  const assembler = new BatchAssembler(new LineParser(interner), file, opts.onMalformed);
  const ready = assembler.ready;
  let carry = '';
  let overlong = false;
  for await (const chunk of chunks(file)) {
    let pos = 0;
    if (carry !== '' || overlong) {
      // The line cut at the previous chunk's end, completed from this one.
      const nl = chunk.indexOf('\n');
      if (nl === -1) {
        if (!overlong) carry += chunk;
        if (!overlong && carry.length > MAX_LINE_CHARS) {
          // A file without line breaks (binary, or one giant line) must not fill memory.
          assembler.skipLine(carry.slice(0, 200), `line longer than ${MAX_LINE_CHARS >> 20} MiB: not a recording line, skipped`);
          carry = '';
          overlong = true;
        }
        continue;
      }
      if (overlong) overlong = false;
      else {
        const line = carry + chunk.slice(0, nl);
        assembler.line(line, 0, line.length);
      }
      pos = nl + 1;
    }
    carry = chunk.slice(assembler.feed(chunk, pos));
    stats.lines = assembler.lineNo;
    stats.malformed = assembler.malformed;
    stats.series = interner.size;
    yield* handOut(ready, stats);
  }
  if (carry !== '') assembler.line(carry, 0, carry.length);
  assembler.finish();
  stats.lines = assembler.lineNo;
  stats.malformed = assembler.malformed;
  stats.series = interner.size;
  yield* handOut(ready, stats);
}

async function* readCsv(file: string, opts: ReadRecordingOptions): AsyncGenerator<SampleBatch> {
  const stats = opts.stats ?? newReadStats();
  const name = opts.metric ?? metricNameFromFile(file);
  const identity = { name, labels: Object.freeze({}), series: name };
  let columns: CsvColumns | undefined;
  let lineNo = 0;
  let carry = '';
  let samples: Sample[] = [];
  let batchAt = NaN;
  const ready: SampleBatch[] = [];

  const handle = (line: string): void => {
    lineNo++;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '') return;
    if (columns === undefined) {
      columns = csvHeader(line);
      if (columns) return;
      columns = { timestamp: 0, value: 1 };
    }
    const row = parseCsvRow(line, columns);
    if (!row.ok) {
      stats.malformed++;
      opts.onMalformed?.(malformedLine(file, lineNo, utf8(line), row.reason));
      return;
    }
    if (row.timestampMs !== batchAt) {
      if (samples.length > 0) ready.push({ atMs: batchAt, samples });
      samples = [];
      batchAt = row.timestampMs;
    }
    samples.push({ ...identity, value: row.value, timestampMs: row.timestampMs });
  };

  let overlong = false;
  for await (const chunk of chunks(file)) {
    const lines = (carry + chunk).split('\n');
    carry = lines.pop()!;
    // The rest of a line already reported as too long is dropped, not parsed.
    if (overlong && lines.length > 0) {
      lines.shift();
      overlong = false;
    }
    for (const line of lines) handle(line);
    if (overlong) carry = '';
    else if (carry.length > MAX_LINE_CHARS) {
      lineNo++;
      stats.malformed++;
      opts.onMalformed?.(malformedLine(file, lineNo, utf8(carry.slice(0, 200)), `line longer than ${MAX_LINE_CHARS >> 20} MiB: not a recording line, skipped`));
      carry = '';
      overlong = true;
    }
    stats.lines = lineNo;
    stats.series = stats.samples > 0 ? 1 : 0;
    yield* handOut(ready, stats);
  }
  if (carry !== '') handle(carry);
  if (samples.length > 0) ready.push({ atMs: batchAt, samples });
  stats.lines = lineNo;
  yield* handOut(ready, stats);
  stats.series = stats.samples > 0 ? 1 : 0;
}
