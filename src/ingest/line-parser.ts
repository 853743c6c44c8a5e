// The hand-written scanner for one line of Prometheus / OpenMetrics text. It works on a window
// [start, end) of a larger string (a 1 MiB read chunk) so the hot loop allocates nothing but the
// series-key slice used for the interner lookup. Known series are found by their raw text; only a
// series seen for the first time is scanned label by label (validating names, quotes and escapes).
import { scanNumber, timestampToMs } from './numbers.js';
import type { RawKey, SeriesInterner } from './series-interner.js';
import type { InternedSeries } from './types.js';

export const LINE_SAMPLE = 0;
export const LINE_SKIP = 1;
export const LINE_MALFORMED = 2;
export const LINE_EOF = 3;
export type LineKind = typeof LINE_SAMPLE | typeof LINE_SKIP | typeof LINE_MALFORMED | typeof LINE_EOF;

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58;
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}
function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

/** Does the line at `start` begin with this series key followed by a space? (A slice and ===
 *  compares bytes; measured faster than startsWith or a charCodeAt loop.) */
function spelledAt(text: string, start: number, key: string): boolean {
  return isSpace(text.charCodeAt(start + key.length)) && text.slice(start, start + key.length) === key;
}

/** Scans one line at a time; after LINE_SAMPLE read `series`, `value`, `timestampMs` (NaN when absent);
 *  after LINE_MALFORMED read `reason`. */
export class LineParser {
  series: InternedSeries | undefined = undefined;
  value = 0;
  timestampMs = NaN;
  reason = '';
  private plain = 0;
  private readonly interner: SeriesInterner;
  private previous: RawKey | undefined = undefined;

  constructor(interner: SeriesInterner) {
    this.interner = interner;
  }

  parse(text: string, start: number, end: number): LineKind {
    if (end > start && text.charCodeAt(end - 1) === 13) end--; // CRLF
    while (start < end && isSpace(text.charCodeAt(start))) start++;
    if (start === end) return LINE_SKIP;
    const first = text.charCodeAt(start);
    if (first === 35 /* # */) return end - start === 5 && text.startsWith('# EOF', start) ? LINE_EOF : LINE_SKIP;
    // Fast path: the series that followed the previous line last time (or the time before), checked
    // by one compare. Sound because a cached spelling was scanned strictly once: the same characters
    // scan the same.
    const previous = this.previous;
    let raw: RawKey | undefined;
    if (previous !== undefined) {
      const next = previous.next;
      if (next !== undefined && spelledAt(text, start, next.key)) raw = next;
      else {
        const alt = previous.alt;
        if (alt !== undefined && spelledAt(text, start, alt.key)) raw = alt;
      }
    }
    if (raw === undefined) {
      raw = this.findSeries(text, start, end);
      if (raw === undefined) return LINE_MALFORMED;
    }
    if (previous !== undefined && previous.next !== raw) {
      previous.alt = previous.next;
      previous.next = raw;
    }
    this.previous = raw;
    this.series = raw.entry;
    return this.scanValueAndTimestamp(text, start + raw.key.length, end);
  }

  /** The series of a line that was not predicted: by its raw text, or scanned strictly if new. */
  private findSeries(text: string, start: number, end: number): RawKey | undefined {
    if (!isNameStart(text.charCodeAt(start))) {
      this.reason = `expected a metric name, found "${text[start]}"`;
      return undefined;
    }
    let i = start + 1;
    while (i < end && isNameChar(text.charCodeAt(i))) i++;
    if (i < end && text.charCodeAt(i) === 123 /* { */) {
      // The last "}" of the line closes the label set unless an exemplar or junk follows; a cache hit
      // on that candidate proves it.
      const candidate = text.lastIndexOf('}', end - 1);
      const hit = candidate > i ? this.interner.lookup(text.slice(start, candidate + 1)) : undefined;
      return hit ?? this.scanNewSeries(text, start, i, end);
    }
    const key = text.slice(start, i);
    const hit = this.interner.lookup(key);
    if (hit) return hit;
    // A bare name is interned only once its line proves to be a sample ("garbage here" is not).
    if (this.scanValueAndTimestamp(text, i, end) !== LINE_SAMPLE) return undefined;
    return this.interner.add(key, key, []);
  }

  private scanValueAndTimestamp(text: string, i: number, end: number): LineKind {
    if (i >= end || !isSpace(text.charCodeAt(i))) {
      return this.fail(i >= end ? 'sample has no value' : `expected a space before the value, found "${text[i]}"`);
    }
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    // One pass per number for the usual plain decimals; anything else takes the token path.
    let tokenEnd = this.plainNumber(text, i, end);
    if (tokenEnd < 0) {
      tokenEnd = i;
      while (tokenEnd < end && !isSpace(text.charCodeAt(tokenEnd))) tokenEnd++;
      if (tokenEnd === i) return this.fail('sample has no value');
      const value = scanNumber(text, i, tokenEnd);
      if (value === undefined) return this.fail(`value "${text.slice(i, tokenEnd)}" is not a number`);
      this.plain = value;
    }
    this.value = this.plain;
    this.timestampMs = NaN;
    i = tokenEnd;
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    if (i === end) return LINE_SAMPLE;
    if (text.charCodeAt(i) === 35 /* # exemplar */) return LINE_SAMPLE;
    tokenEnd = this.plainNumber(text, i, end);
    if (tokenEnd < 0) {
      tokenEnd = i;
      while (tokenEnd < end && !isSpace(text.charCodeAt(tokenEnd))) tokenEnd++;
      const ts = scanNumber(text, i, tokenEnd);
      if (ts === undefined || !Number.isFinite(ts)) return this.fail(`timestamp "${text.slice(i, tokenEnd)}" is not a number of seconds`);
      this.plain = ts;
    }
    this.timestampMs = timestampToMs(this.plain);
    i = tokenEnd;
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    if (i < end && text.charCodeAt(i) !== 35) return this.fail(`unexpected "${text.slice(i, Math.min(end, i + 20))}" after the timestamp`);
    return LINE_SAMPLE;
  }

  /** A plain decimal (`-?digits[.digits]`, <= 15 digits) ending at a space or the line end: its value
   *  goes to `plain` and its end index is returned; -1 sends the caller to the careful path. */
  private plainNumber(text: string, i: number, end: number): number {
    let negative = false;
    if (i < end && text.charCodeAt(i) === 45) { negative = true; i++; }
    let mantissa = 0;
    let digits = 0;
    let scale = 1;
    let c = 0;
    while (i < end && (c = text.charCodeAt(i)) >= 48 && c <= 57) { mantissa = mantissa * 10 + (c - 48); digits++; i++; }
    if (i < end && c === 46) {
      i++;
      while (i < end && (c = text.charCodeAt(i)) >= 48 && c <= 57) { mantissa = mantissa * 10 + (c - 48); scale *= 10; digits++; i++; }
    }
    if (digits === 0 || digits > 15 || (i < end && !isSpace(text.charCodeAt(i)))) return -1;
    this.plain = negative ? -mantissa / scale : mantissa / scale;
    return i;
  }

  /** Strict scan of a label set seen for the first time (or a line with an exemplar). */
  private scanNewSeries(text: string, start: number, brace: number, end: number): RawKey | undefined {
    const pairs: Array<[string, string]> = [];
    let i = brace + 1;
    for (;;) {
      while (i < end && isSpace(text.charCodeAt(i))) i++;
      if (i >= end) return this.failAt('label set is not closed with "}"');
      if (text.charCodeAt(i) === 125 /* } */) break;
      const nameStart = i;
      const c0 = text.charCodeAt(i);
      if (!(isNameStart(c0) && c0 !== 58)) return this.failAt(`expected a label name at column ${i - start + 1}, found "${text[i]}"`);
      while (i < end && isNameChar(text.charCodeAt(i)) && text.charCodeAt(i) !== 58) i++;
      const labelName = text.slice(nameStart, i);
      while (i < end && isSpace(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) !== 61 /* = */) return this.failAt(`expected "=" after label ${labelName}`);
      i++;
      while (i < end && isSpace(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) !== 34 /* " */) return this.failAt(`label ${labelName}: value must be in double quotes`);
      i++;
      let value = '';
      let runStart = i;
      for (;;) {
        if (i >= end) return this.failAt(`label ${labelName}: value is not closed with a double quote`);
        const c = text.charCodeAt(i);
        if (c === 34) break;
        if (c === 92 /* \ */) {
          const next = text.charCodeAt(i + 1);
          const unescaped = next === 110 ? '\n' : next === 92 ? '\\' : next === 34 ? '"' : undefined;
          if (unescaped === undefined || i + 1 >= end) {
            return this.failAt(`label ${labelName}: invalid escape "\\${text[i + 1] ?? ''}" (only \\\\, \\" and \\n are allowed)`);
          }
          value += text.slice(runStart, i) + unescaped;
          i += 2;
          runStart = i;
          continue;
        }
        i++;
      }
      value += text.slice(runStart, i);
      i++;
      if (pairs.some((p) => p[0] === labelName)) return this.failAt(`label ${labelName} appears twice`);
      pairs.push([labelName, value]);
      while (i < end && isSpace(text.charCodeAt(i))) i++;
      const sep = text.charCodeAt(i);
      if (sep === 44 /* , */) { i++; continue; }
      if (sep === 125) break;
      return this.failAt(`expected "," or "}" after label ${labelName}`);
    }
    const key = text.slice(start, i + 1);
    return this.interner.lookup(key) ?? this.interner.add(key, text.slice(start, brace), pairs);
  }

  private fail(reason: string): LineKind {
    this.reason = reason;
    return LINE_MALFORMED;
  }

  private failAt(reason: string): undefined {
    this.reason = reason;
    return undefined;
  }
}
