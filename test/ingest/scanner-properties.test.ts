// Property checks of the scanner with seeded random input: every well-formed line round-trips (labels
// with quotes, backslashes, newlines, UTF-8, any order), and no mangled line throws or goes unreported.
import { describe, expect, it } from 'vitest';
import { parseExposition, SeriesInterner, type MalformedLine } from '../../src/ingest/index.js';
import { Rng } from '../../src/simulate/recording-random.js';

const ALPHABET = ['a', 'Z', '0', ' ', '"', '\\', '\n', '{', '}', ',', '=', '#', 'é', '☕', '/', '-'];
const escape = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

function randomSeries(rng: Rng): { name: string; labels: Record<string, string> } {
  const name = rng.pick(['up', 'integration_requests_total', 'a:b_c', '_x']);
  const labels: Record<string, string> = {};
  for (let i = rng.int(0, 4); i > 0; i--) {
    let v = '';
    for (let j = rng.int(1, 12); j > 0; j--) v += rng.pick(ALPHABET);
    labels[rng.pick(['partner', 'operation', 'le', 'error_code', '_k', 'zone'])] = v;
  }
  return { name, labels };
}

function render(name: string, labels: Record<string, string>, rng: Rng): string {
  const pairs = Object.entries(labels);
  rng.shuffle(pairs);
  return pairs.length === 0 && rng.next() < 0.5 ? name : `${name}{${pairs.map(([k, v]) => `${k}="${escape(v)}"`).join(',')}}`;
}

describe('the scanner on random input', () => {
  it('round-trips 5000 random well-formed lines, one interned series per label set', () => {
    const rng = new Rng(99);
    const interner = new SeriesInterner();
    for (let i = 0; i < 5000; i++) {
      const { name, labels } = randomSeries(rng);
      const value = rng.pick([0, 1, 42, 0.5, -3.25, 1e21, 123456789.125]);
      const problems: MalformedLine[] = [];
      const text = `${render(name, labels, rng)} ${value} 1700000000\n${render(name, labels, rng)} ${value} 1700000060`;
      const [a, b, ...rest] = parseExposition(text, { target: 't', nowMs: 0, interner, onMalformed: (m) => problems.push(m) });
      expect(problems).toEqual([]);
      expect(rest).toEqual([]);
      const nonEmpty = Object.fromEntries(Object.entries(labels).filter(([, v]) => v !== ''));
      expect(a!.labels).toEqual(nonEmpty);
      expect(a!.value).toBe(value);
      expect(b!.labels).toBe(a!.labels);
      expect(b!.timestampMs).toBe(1_700_000_060_000);
    }
  });

  it('never throws on 5000 mangled lines and reports every line it does not read as a sample', () => {
    const rng = new Rng(7);
    for (let i = 0; i < 5000; i++) {
      const { name, labels } = randomSeries(rng);
      const good = `${render(name, labels, rng)} ${rng.int(0, 99)} 1700000000`;
      const chars = [...good];
      for (let k = rng.int(1, 3); k > 0; k--) {
        const at = rng.int(0, chars.length - 1);
        const op = rng.int(0, 2);
        if (op === 0) chars.splice(at, 1);
        else if (op === 1) chars.splice(at, 0, rng.pick(ALPHABET));
        else chars[at] = rng.pick(ALPHABET);
      }
      const line = chars.join('').replace(/\n/g, ' ');
      const problems: MalformedLine[] = [];
      const samples = parseExposition(line, { target: 't', nowMs: 5, onMalformed: (m) => problems.push(m) });
      const isComment = line.trimStart().startsWith('#') || line.trim() === '';
      expect(samples.length + problems.length + (isComment ? 1 : 0), line).toBe(1);
      for (const s of samples) expect(Number.isNaN(s.timestampMs)).toBe(false);
    }
  });
});
