// Turns OpenMetrics text into SampleBatches, one per scrape timestamp: the synchronous hot loop of
// the recording reader, kept out of the async generator so the engine optimises it as a plain method.
import type { Sample, SampleBatch } from '../model/index.js';
import { LINE_MALFORMED, LINE_SAMPLE, type LineParser } from './line-parser.js';
import { malformedLine } from './malformed.js';
import type { OnMalformed } from './types.js';

const NO_TIMESTAMP = 'sample has no timestamp: every sample of a recording needs one (seconds since the epoch)';

export class BatchAssembler {
  lineNo = 0;
  malformed = 0;
  /** Batches completed since the caller last emptied this array. */
  readonly ready: SampleBatch[] = [];
  private samples: Sample[] = [];
  private batchAt = NaN;
  private readonly parser: LineParser;
  private readonly file: string;
  private readonly onMalformed: OnMalformed | undefined;

  constructor(parser: LineParser, file: string, onMalformed: OnMalformed | undefined) {
    this.parser = parser;
    this.file = file;
    this.onMalformed = onMalformed;
  }

  /** Handles every complete line of `text` from `pos`; returns where the unfinished last line starts. */
  feed(text: string, pos: number): number {
    for (let nl = text.indexOf('\n', pos); nl !== -1; nl = text.indexOf('\n', pos)) {
      this.line(text, pos, nl);
      pos = nl + 1;
    }
    return pos;
  }

  line(text: string, start: number, end: number): void {
    this.lineNo++;
    const parser = this.parser;
    const kind = parser.parse(text, start, end);
    if (kind === LINE_SAMPLE) {
      const at = parser.timestampMs;
      if (at !== at) return this.report(text.slice(start, end), NO_TIMESTAMP);
      if (at !== this.batchAt) {
        if (this.samples.length > 0) this.ready.push({ atMs: this.batchAt, samples: this.samples });
        this.samples = [];
        this.batchAt = at;
      }
      const s = parser.series!;
      this.samples.push({ name: s.name, labels: s.labels, value: parser.value, timestampMs: at, series: s.series });
    } else if (kind === LINE_MALFORMED) {
      this.report(text.slice(start, end), parser.reason);
    }
    // LINE_SKIP and LINE_EOF: `# EOF` ends an exposition, but recordings joined with `cat` go on after it.
  }

  /** Counts and reports a line the reader would not even hold in memory. */
  skipLine(latin1Start: string, reason: string): void {
    this.lineNo++;
    this.report(latin1Start, reason);
  }

  /** The last batch, at the end of the file. */
  finish(): void {
    if (this.samples.length > 0) this.ready.push({ atMs: this.batchAt, samples: this.samples });
    this.samples = [];
  }

  private report(latin1Text: string, reason: string): void {
    this.malformed++;
    this.onMalformed?.(malformedLine(this.file, this.lineNo, Buffer.from(latin1Text, 'latin1').toString('utf8'), reason));
  }
}
