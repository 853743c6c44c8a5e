// The detector's state on disk, written incrementally: a whole document now and then (service-state.json,
// the format every earlier version wrote, so their files load as they are), and after every other
// evaluation one frame appended to service-state.journal holding only what changed (json-delta.ts).
// Crash safety: each frame carries its length and CRC-32 and is fsynced before the evaluation counts as
// saved; a frame cut short by SIGKILL fails its check and is dropped with whatever follows, so a crash
// loses at most the evaluation it interrupted. A journal belongs to one whole document (the random
// `journal` id both carry): a compaction writes the new document first, then a new journal, so a crash
// between the two leaves a journal that no longer matches and is ignored. The whole document goes
// through the store (atomic rename, unreadable files set aside); a journal that cannot be read is set
// aside the same way.
import { randomBytes } from 'node:crypto';
import { open, readFile, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { JsonText, type DurableStore, type SetAsideListener } from '../store/index.js';
import { applyDelta, cloneInSlices, diff, type Delta } from './json-delta.js';
import { stringifyInSlices } from './json-slices.js';
import type { ServiceSnapshot } from './types.js';

const HEADER = 'sentinel-state-journal 1';
/** A compaction once the journal holds as many bytes as the whole document. */
const COMPACT_AT_RATIO = 1;

type Stored = ServiceSnapshot & { readonly journal?: string };

export interface JournalOptions {
  readonly store: DurableStore;
  readonly dir: string;
  readonly key: string;
  readonly onSetAside?: SetAsideListener;
}

export interface Restored {
  readonly snapshot: ServiceSnapshot | undefined;
  /** Frames replayed on top of the whole document, and whether a damaged tail was dropped. */
  readonly frames: number;
  readonly cut?: string;
}

export class StateJournal {
  readonly #options: JournalOptions;
  readonly #path: string;
  /** What the files on disk hold now, as a reader would rebuild it; undefined: write whole next time. */
  #last: Record<string, unknown> | undefined;
  #id = '';
  #wholeBytes = 0;
  #journalBytes = 0;
  /** Bytes the last save wrote (the whole document, or one frame). */
  lastWriteBytes = 0;

  constructor(options: JournalOptions) {
    this.#options = options;
    this.#path = join(options.dir, `${options.key}.journal`);
  }

  /** The whole document with every intact frame of its journal applied. */
  async restore(): Promise<Restored> {
    await this.#sweepTemp();
    let text: Buffer | undefined;
    try {
      text = await readFile(this.#path);
    } catch (error) {
      // Unreadable (a directory in its place, an I/O error): out of the way, so the next compaction can write one.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') await this.#setAside(`unreadable: ${(error as Error).message}`);
    }
    const whole = await this.#options.store.read<Stored>(this.#options.key);
    if (!whole || typeof whole !== 'object' || text === undefined) return { snapshot: whole, frames: 0 };
    const header = `${HEADER} ${whole.journal ?? ''}\n`;
    if (whole.journal === undefined || !text.subarray(0, header.length).equals(Buffer.from(header))) return { snapshot: whole, frames: 0 };
    // Applied in place (a copy per frame would cost the whole document each time); a frame that does
    // not fit, which its checksum makes all but impossible, sends the replay back to the frames before it.
    const journal = text;
    const replay = async (limit: number): Promise<Restored> => {
      const state = limit === Infinity ? whole : await this.#options.store.read<Stored>(this.#options.key);
      let frames = 0;
      let at = header.length;
      while (at < journal.length && frames < limit) {
        const frame = readFrame(journal, at);
        if (!frame.ok) return { snapshot: state, frames, cut: frame.reason };
        try {
          applyDelta(state as never, JSON.parse(frame.text) as Delta);
        } catch (error) {
          const again = await replay(frames);
          return { ...again, cut: `frame ${frames + 1} does not apply: ${(error as Error).message}` };
        }
        frames++;
        at = frame.next;
      }
      return { snapshot: state, frames };
    };
    return replay(Infinity);
  }

  /** Saves `snapshot`: one frame of what changed, or the whole document when due. Throws when the disk
   *  refuses; the next save then writes the whole document. */
  async save(snapshot: ServiceSnapshot): Promise<void> {
    this.lastWriteBytes = 0;
    if (this.#last === undefined || this.#journalBytes >= this.#wholeBytes * COMPACT_AT_RATIO) return this.#writeWhole(snapshot);
    const last = this.#last;
    this.#last = undefined; // until the frame is on disk, what diff updated in place is ahead of it
    const delta = await diff(last as never, { ...snapshot, journal: this.#id });
    if (delta === undefined) {
      this.#last = last;
      return;
    }
    const text = await stringifyInSlices(delta);
    const bytes = Buffer.byteLength(text);
    await this.#append(`${bytes} ${crc32(text).toString(16)}\n${text}\n`);
    this.#journalBytes += bytes;
    this.lastWriteBytes = bytes;
    this.#last = last;
  }

  async #writeWhole(snapshot: ServiceSnapshot): Promise<void> {
    const id = randomBytes(8).toString('hex');
    const document = { ...snapshot, journal: id };
    const text = await stringifyInSlices(document);
    await this.#options.store.write(this.#options.key, new JsonText(text));
    // The whole document is safe now; the journal that follows it starts empty.
    const temp = `${this.#path}.${process.pid}.tmp`;
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(`${HEADER} ${id}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, this.#path);
    this.#id = id;
    this.#wholeBytes = Buffer.byteLength(text);
    this.#journalBytes = 0;
    this.lastWriteBytes = this.#wholeBytes;
    this.#last = await cloneInSlices(document);
  }

  async #append(frame: string): Promise<void> {
    // Opened per frame: a journal replaced under us (set aside, compacted) is never written through an old handle.
    let handle: FileHandle | undefined;
    try {
      handle = await open(this.#path, 'a');
      await handle.write(frame);
      await handle.datasync();
    } finally {
      await handle?.close();
    }
  }

  async #setAside(reason: string): Promise<void> {
    const movedTo = `${this.#path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      await rename(this.#path, movedTo);
      this.#options.onSetAside?.({ key: `${this.#options.key}.journal`, path: this.#path, movedTo, reason });
    } catch {
      // Not there any more, or not movable: the next compaction replaces it or says why it cannot.
    }
  }

  async #sweepTemp(): Promise<void> {
    const prefix = `${this.#options.key}.journal.`;
    try {
      const names = await readdir(this.#options.dir);
      await Promise.all(names.filter((n) => n.startsWith(prefix) && n.endsWith('.tmp')).map((n) => rm(join(this.#options.dir, n), { force: true, recursive: true })));
    } catch {
      // A missing or unreadable folder shows up on the first write, with its own message.
    }
  }
}

type Frame = { ok: true; text: string; next: number } | { ok: false; reason: string };

/** `<length> <crc32 hex>\n<json>\n` at `at`, checked. */
function readFrame(buffer: Buffer, at: number): Frame {
  const eol = buffer.indexOf(0x0a, at);
  if (eol < 0) return { ok: false, reason: 'the last frame is cut short (no header end)' };
  const match = /^(\d+) ([0-9a-f]+)$/.exec(buffer.toString('latin1', at, eol));
  if (!match) return { ok: false, reason: `a frame header at byte ${at} is damaged` };
  const length = Number(match[1]);
  const start = eol + 1;
  if (start + length + 1 > buffer.length) return { ok: false, reason: 'the last frame is cut short' };
  const body = buffer.subarray(start, start + length);
  if (crc32(body).toString(16) !== match[2] || buffer[start + length] !== 0x0a) return { ok: false, reason: `the frame at byte ${at} fails its checksum` };
  return { ok: true, text: body.toString('utf8'), next: start + length + 1 };
}
