// `sentinel record`: scrapes one live /metrics every interval and appends what it read, every sample
// stamped with the scrape's time, to a recording (docs/recording.md). A failed scrape is said once
// per outage and the loop goes on; time comes from the caller's clock so tests can run it fast.
import { formatLabelSet } from '../../model/index.js';
import { parseExposition } from '../exposition.js';
import { SeriesInterner } from '../series-interner.js';
import { RecordingFile } from './recording-file.js';

export interface RecorderOptions {
  readonly target: string;
  readonly out: string;
  /** Rotate past this size (bytes). */
  readonly maxBytes: number;
  readonly timeoutMs: number;
  /** Keep only these sample names (what the rules read: `x_count`, not `x_bucket`), when given. */
  readonly only?: ReadonlySet<string>;
  readonly onProblem?: (message: string) => void;
}

export interface RecorderStats {
  scrapes: number;
  failed: number;
  samples: number;
}

export class Recorder {
  readonly file: RecordingFile;
  readonly stats: RecorderStats = { scrapes: 0, failed: 0, samples: 0 };
  readonly #opts: RecorderOptions;
  readonly #interner = new SeriesInterner();
  #down = false;

  constructor(opts: RecorderOptions) {
    this.#opts = opts;
    this.file = new RecordingFile(opts.out, opts.maxBytes);
  }

  /** One scrape at `nowMs`, appended. Returns the samples written (0 when the scrape failed). */
  async scrapeOnce(nowMs: number): Promise<number> {
    this.stats.scrapes++;
    let text: string;
    try {
      const res = await fetch(this.#opts.target, { headers: { accept: 'text/plain;version=0.0.4' }, signal: AbortSignal.timeout(this.#opts.timeoutMs) });
      if (!res.ok) throw new Error(`answered HTTP ${res.status}`);
      text = await res.text();
    } catch (error) {
      this.stats.failed++;
      if (!this.#down) this.#opts.onProblem?.(`scrape of ${this.#opts.target} failed: ${(error as Error).message}; recording goes on, this gap stays in the file`);
      this.#down = true;
      return 0;
    }
    if (this.#down) this.#opts.onProblem?.(`scrape of ${this.#opts.target} works again`);
    this.#down = false;
    let malformed = 0;
    const samples = parseExposition(text, { target: this.#opts.target, nowMs, interner: this.#interner, onMalformed: () => malformed++ });
    if (malformed > 0) this.#opts.onProblem?.(`${this.#opts.target}: ${malformed} malformed line(s) skipped`);
    const seconds = (nowMs / 1000).toFixed(3);
    let out = '';
    let n = 0;
    for (const s of samples) {
      if (this.#opts.only && !this.#opts.only.has(s.name)) continue;
      // The scrape's own time for every sample: a batch is a scrape, as backtest reads it.
      out += `${s.name}${formatLabelSet(s.labels)} ${value(s.value)} ${seconds}\n`;
      n++;
    }
    if (out !== '') await this.file.append(out);
    this.stats.samples += n;
    return n;
  }

  close(): Promise<void> {
    return this.file.close();
  }
}

function value(v: number): string {
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Number.isNaN(v)) return 'NaN';
  return String(v);
}
