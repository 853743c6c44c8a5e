// Writes an OpenMetrics recording the way a scrape recorder does: one scrape after another, every
// sample with its timestamp in seconds, `# EOF` at the end. Streams through a 1 MiB buffer to a file
// descriptor, so a 14-day, 300-series recording never sits in memory.
// Only erasable TypeScript here: Node 24 runs this file directly (type stripping) as well as vitest.
import { closeSync, openSync, writeSync } from 'node:fs';
import { escapeLabelValue } from '../model/index.js';
import type { Rng } from './recording-random.js';

export type FamilyType = 'counter' | 'gauge' | 'histogram';

/** One exposed series (one line per scrape). Counters and histogram parts are cumulative. */
export interface SeriesLine {
  /** `name{labels} ` in the exporter's usual label order. */
  readonly prefix: string;
  /** The same series with its labels in another order (exporters do not promise an order). */
  readonly shuffledPrefix: string;
  value: number;
  /** A series appears when it is first incremented; a restart hides it again until then. */
  present: boolean;
  readonly resettable: boolean;
}

export interface Family {
  readonly name: string;
  readonly type: FamilyType;
  readonly help: string;
  readonly lines: SeriesLine[];
}


function labelText(pairs: ReadonlyArray<readonly [string, string]>): string {
  if (pairs.length === 0) return '';
  return '{' + pairs.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',') + '}';
}

export function makeLine(sampleName: string, pairs: ReadonlyArray<readonly [string, string]>, resettable: boolean): SeriesLine {
  return {
    prefix: sampleName + labelText(pairs) + ' ',
    shuffledPrefix: sampleName + labelText([...pairs].reverse()) + ' ',
    value: 0,
    present: !resettable,
    resettable,
  };
}

export interface WriterOptions {
  /** 'top': TYPE/HELP once at the top; 'every-scrape': before each family in every scrape. */
  readonly typeLines: 'top' | 'every-scrape';
  /** Share of lines written with their labels in another order. */
  readonly shuffledLabelShare: number;
}

/** Output sink: a file (streamed) or an in-memory string for small tests. */
export class RecordingSink {
  private fd: number | undefined;
  private buffer: string[] = [];
  private bufferedChars = 0;
  private readonly chunks: string[] = [];
  constructor(file: string | undefined) {
    if (file !== undefined) this.fd = openSync(file, 'w');
  }
  write(s: string): void {
    this.buffer.push(s);
    this.bufferedChars += s.length;
    if (this.bufferedChars >= 1 << 20) this.flush();
  }
  flush(): void {
    if (this.buffer.length === 0) return;
    const text = this.buffer.join('');
    this.buffer = [];
    this.bufferedChars = 0;
    if (this.fd !== undefined) writeSync(this.fd, text);
    else this.chunks.push(text);
  }
  /** Closes the file; returns the whole text when writing to memory. */
  close(): string {
    this.flush();
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
      return '';
    }
    return this.chunks.join('');
  }
}

export class ScrapeWriter {
  samplesWritten = 0;
  scrapesWritten = 0;
  private readonly seriesSeen = new Set<string>();
  private readonly sink: RecordingSink;
  private readonly families: Family[];
  private readonly opts: WriterOptions;
  private readonly rng: Rng;
  constructor(sink: RecordingSink, families: Family[], opts: WriterOptions, rng: Rng) {
    this.sink = sink;
    this.families = families;
    this.opts = opts;
    this.rng = rng;
    if (opts.typeLines === 'top') for (const f of families) sink.write(meta(f));
  }

  /** One scrape: every present series once, families in a fresh random order, all at `atMs`. */
  scrape(atMs: number): void {
    const ts = ' ' + formatSeconds(atMs) + '\n';
    const order = this.families.slice();
    this.rng.shuffle(order);
    const parts: string[] = [];
    for (const f of order) {
      let wroteMeta = false;
      for (const line of f.lines) {
        if (!line.present) continue;
        if (!wroteMeta && this.opts.typeLines === 'every-scrape') {
          parts.push(meta(f));
          wroteMeta = true;
        }
        const prefix = this.rng.next() < this.opts.shuffledLabelShare ? line.shuffledPrefix : line.prefix;
        parts.push(prefix + formatValue(line.value) + ts);
        this.samplesWritten++;
        if (!this.seriesSeen.has(line.prefix)) this.seriesSeen.add(line.prefix);
      }
    }
    this.sink.write(parts.join(''));
    this.scrapesWritten++;
  }

  get distinctSeries(): number {
    return this.seriesSeen.size;
  }

  finish(): string {
    this.sink.write('# EOF\n');
    return this.sink.close();
  }
}

function meta(f: Family): string {
  return `# HELP ${f.name} ${f.help}\n# TYPE ${f.name} ${f.type}\n`;
}

/** Seconds with millisecond precision when needed: `1772409600` or `1772409600.137`. */
export function formatSeconds(ms: number): string {
  const whole = Math.floor(ms / 1000);
  const frac = ms - whole * 1000;
  if (frac === 0) return String(whole);
  return whole + '.' + String(Math.round(frac)).padStart(3, '0');
}

function formatValue(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return String(Math.round(v * 1e6) / 1e6);
}
