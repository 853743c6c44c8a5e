// The file a recorder appends to: one timestamped OpenMetrics line per sample, a whole scrape per
// write, `# EOF` at the end. Past `maxBytes` the file is closed with `# EOF` and renamed
// `<name>-0001.om`, `-0002`, … (oldest first, so a glob in name order is time order) and a new one
// begun: each part is a recording on its own that backtest and promtool read.
import { existsSync } from 'node:fs';
import { appendFile, rename, stat, writeFile } from 'node:fs/promises';

export class RecordingFile {
  readonly path: string;
  readonly #maxBytes: number;
  #bytes = 0;
  #part = 0;
  #opened = false;
  /** Paths of the parts already rotated out, oldest first. */
  readonly rotated: string[] = [];

  constructor(path: string, maxBytes: number) {
    this.path = path;
    this.#maxBytes = maxBytes;
  }

  /** Starts the file; an existing recording is continued (its `# EOF` is harmless: our reader reads on). */
  async open(): Promise<void> {
    if (existsSync(this.path)) this.#bytes = (await stat(this.path)).size;
    else await writeFile(this.path, '');
    while (existsSync(this.partName(this.#part + 1))) this.#part++;
    this.#opened = true;
  }

  async append(text: string): Promise<void> {
    if (!this.#opened) await this.open();
    if (this.#bytes > 0 && this.#bytes + Buffer.byteLength(text) > this.#maxBytes) await this.#rotate();
    await appendFile(this.path, text);
    this.#bytes += Buffer.byteLength(text);
  }

  /** Ends the current file with `# EOF` (what promtool requires). */
  async close(): Promise<void> {
    if (!this.#opened) return;
    await appendFile(this.path, '# EOF\n');
    this.#opened = false;
  }

  partName(n: number): string {
    const ext = /\.[^./]+$/.exec(this.path)?.[0] ?? '';
    return `${this.path.slice(0, this.path.length - ext.length)}-${String(n).padStart(4, '0')}${ext}`;
  }

  async #rotate(): Promise<void> {
    await appendFile(this.path, '# EOF\n');
    const part = this.partName(++this.#part);
    await rename(this.path, part);
    this.rotated.push(part);
    await writeFile(this.path, '');
    this.#bytes = 0;
  }
}
