import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { newReadStats, readRecording, type MalformedLine } from '../../src/ingest/index.js';
import type { SampleBatch } from '../../src/model/index.js';
import { generateRecording } from '../support/recording-generator.ts';

const dir = mkdtempSync(join(tmpdir(), 'sentinel-ingest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(file: string, opts: Parameters<typeof readRecording>[1] = {}): Promise<{ batches: SampleBatch[]; problems: MalformedLine[] }> {
  const problems: MalformedLine[] = [];
  const batches: SampleBatch[] = [];
  for await (const b of readRecording(file, { ...opts, onMalformed: (m) => problems.push(m) })) batches.push(b);
  return { batches, problems };
}

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('reading a recording', () => {
  it('reads a generated recording as one batch per scrape, every sample, with shared labels per series', async () => {
    const file = join(dir, 'gen.om');
    const truth = generateRecording({ scenario: 'success_drop', seed: 4, days: 1, out: file, intervalSeconds: 300, shuffledLabelShare: 0.1 });
    const stats = newReadStats();
    const { batches, problems } = await readAll(file, { stats });
    expect(problems).toEqual([]);
    expect(batches.length).toBe(truth.scrapes);
    expect(batches.reduce((n, b) => n + b.samples.length, 0)).toBe(truth.samples);
    expect(stats.samples).toBe(truth.samples);
    expect(stats.series).toBe(truth.series);
    // (Counted, then asserted once: an expect per sample would dominate the test's time.)
    let offBatch = 0;
    for (const b of batches) for (const s of b.samples) if (s.timestampMs !== b.atMs) offBatch++;
    expect(offBatch).toBe(0);
    expect(batches.every((b, i) => i === 0 || b.atMs > batches[i - 1]!.atMs)).toBe(true);
    // Labels are interned: one object per series however its labels were ordered in the text.
    const bySeries = new Map<string, object>();
    let notShared = 0;
    for (const b of batches) for (const s of b.samples) {
      const seen = bySeries.get(s.series);
      if (!seen) bySeries.set(s.series, s.labels);
      else if (seen !== s.labels) notShared++;
    }
    expect(notShared).toBe(0);
    expect(bySeries.size).toBe(truth.series);
    const soap = batches[batches.length - 1]!.samples.find((s) => s.labels.operation === 'SOAP "Results\\Get"');
    expect(soap?.series).toMatch(/^integration_requests_total\{operation="SOAP \\"Results\\\\Get\\"",outcome="success",partner="labcorp_like"\}$/);
  });

  it('unescapes label values, accepts any label order and TYPE/HELP anywhere, and reads # EOF', async () => {
    const file = write('escapes.om', [
      '# HELP q Queue events.', '# TYPE q counter',
      'q_total{b="x\\"y",a="back\\\\slash",c="two\\nlines"} 1 1700000000',
      '# TYPE q counter',
      'q_total{a="back\\\\slash",c="two\\nlines",b="x\\"y"} 2 1700000060.5',
      'up 1 1700000060.5',
      '# EOF', '',
    ].join('\n'));
    const { batches, problems } = await readAll(file);
    expect(problems).toEqual([]);
    expect(batches.map((b) => b.atMs)).toEqual([1700000000000, 1700000060500]);
    const [a, b] = [batches[0]!.samples[0]!, batches[1]!.samples[0]!];
    expect(a.labels).toEqual({ a: 'back\\slash', b: 'x"y', c: 'two\nlines' });
    expect(b.labels).toBe(a.labels);
    expect(b.series).toBe(a.series);
    expect(a.series).toBe('q_total{a="back\\\\slash",b="x\\"y",c="two\\nlines"}');
    expect(batches[1]!.samples[1]).toMatchObject({ name: 'up', series: 'up', labels: {}, value: 1 });
  });

  it('reports each malformed line with its number and reason, skips it and goes on', async () => {
    const lines = [
      'ok{a="1"} 1 1700000000', //                1
      'ok{a="1"} 1700000000', //                  2: no timestamp
      'ok{a="1} 3 1700000000', //                 3: unclosed quote
      'ok{a="\\q"} 3 1700000000', //              4: bad escape
      'ok{a="1"} abc 1700000000', //              5: value
      'ok{1a="1"} 3 1700000000', //               6: label name
      '{a="1"} 3 1700000000', //                  7: no name
      'ok{a="1"} 3 17000x0000', //                8: timestamp
      'ok{a="1",a="2"} 3 1700000000', //          9: duplicate label
      'ok{a="1"} 3 1700000000 extra', //         10: trailing junk
      'ok{a="1"} 4 1700000060', //               11
      'ok{a="1"} +Inf 1700000120', //            12
      'ok{a="1"} 1.5e3 1700000180 # {trace_id="abc"} 1 1700000180', // 13: exemplar is fine
    ];
    const { batches, problems } = await readAll(write('bad.om', lines.join('\n') + '\n'));
    expect(problems.map((p) => p.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(problems[0]!.reason).toMatch(/no timestamp/);
    expect(problems[1]!.reason).toMatch(/not closed/);
    expect(problems[2]!.reason).toMatch(/invalid escape/);
    expect(problems[3]!.reason).toMatch(/"abc" is not a number/);
    expect(problems[7]!.reason).toMatch(/appears twice/);
    expect(problems[0]!.message).toMatch(/bad\.om:2: /);
    expect(problems[2]!.text).toBe(lines[3]);
    expect(batches.flatMap((b) => b.samples.map((s) => s.value))).toEqual([1, 4, Infinity, 1500]);
  });

  it('skips a line longer than 16 MiB without holding it, and reads on after it', async () => {
    const file = write('giant.om', 'a 1 1700000000\n' + 'x'.repeat(20 << 20) + '\na 2 1700000060\n');
    const { batches, problems } = await readAll(file);
    expect(problems.map((p) => [p.line, p.reason])).toEqual([[2, 'line longer than 16 MiB: not a recording line, skipped']]);
    expect(batches.map((b) => b.samples[0]!.value)).toEqual([1, 2]);
  });

  it('reads Prometheus millisecond timestamps and CRLF line ends', async () => {
    const { batches } = await readAll(write('ms.prom', 'm{a="b"} 7 1700000000123\r\nm{a="b"} 8 1700000060123\r\n'));
    expect(batches.map((b) => [b.atMs, b.samples[0]!.value])).toEqual([[1700000000123, 7], [1700000060123, 8]]);
  });

  it('reads an empty file, a file of comments only, and a byte-order mark without complaint', async () => {
    expect(await readAll(write('empty.om', ''))).toEqual({ batches: [], problems: [] });
    expect(await readAll(write('comments.om', '# HELP a x\n# TYPE a gauge\n# EOF\n'))).toEqual({ batches: [], problems: [] });
    const bom = await readAll(write('bom.om', '\uFEFF# TYPE a gauge\na 1 1700000000\n'));
    expect(bom.problems).toEqual([]);
    expect(bom.batches[0]!.samples[0]!.value).toBe(1);
    const csv = await readAll(write('bom-export', '\uFEFFtimestamp,value\n1700000000,2\n'));
    expect(csv.problems).toEqual([]);
    expect(csv.batches[0]!.samples[0]!.value).toBe(2);
  });

  it('keeps UTF-8 label values intact across 1 MiB read chunks', async () => {
    const line = (i: number): string => `m{city="Zürich – café ☕",i="${i % 7}"} ${i} ${1700000000 + i * 60}\n`;
    let text = '';
    for (let i = 0; i < 40_000; i++) text += line(i);
    const { batches, problems } = await readAll(write('utf8.om', text));
    expect(problems).toEqual([]);
    expect(batches.length).toBe(40_000);
    expect(batches.filter((b) => b.samples[0]!.labels.city !== 'Zürich – café ☕')).toEqual([]);
  });
});

/** The NAB corpus sits in shared/ beside the repository (NAB_DIR overrides). */
function nabFile(name: string): string | undefined {
  const dirs = [process.env.NAB_DIR, fileURLToPath(new URL('../../../shared/nab', import.meta.url))].filter((d): d is string => !!d);
  const dir = dirs.find((d) => existsSync(join(d, 'data', name)));
  return dir === undefined ? undefined : join(dir, 'data', name);
}
const NAB_NO_NOISE = nabFile('artificialNoAnomaly/art_daily_no_noise.csv');
if (!NAB_NO_NOISE) console.warn('SKIPPING the NAB CSV test: no shared/nab beside the repository (set NAB_DIR to the NAB folder)');

describe('reading a CSV recording', () => {
  it.skipIf(!NAB_NO_NOISE)('reads a NAB file as one series named after the file, ISO timestamps in UTC', async () => {
    const file = NAB_NO_NOISE!;
    const { batches, problems } = await readAll(file);
    expect(problems).toEqual([]);
    expect(batches.length).toBe(4032);
    expect(batches[0]!.samples[0]).toMatchObject({ name: 'art_daily_no_noise', series: 'art_daily_no_noise', value: 20, timestampMs: Date.UTC(2014, 3, 1) });
    expect(batches[1]!.atMs - batches[0]!.atMs).toBe(300_000);
  });

  it('reads epoch timestamps, takes the metric name it is given, and reports bad rows', async () => {
    const file = write('load-2.csv', 'timestamp,value\n1700000000,1.5\n1700000060,oops\nyesterday,3\n1700000120000,2\n');
    const { batches, problems } = await readAll(file, { metric: 'partner_load' });
    expect(batches.map((b) => [b.atMs, b.samples[0]!.value, b.samples[0]!.name])).toEqual([
      [1700000000000, 1.5, 'partner_load'], [1700000120000, 2, 'partner_load'],
    ]);
    expect(problems.map((p) => [p.line, p.reason])).toEqual([
      [3, 'value "oops" is not a number'],
      [4, 'timestamp "yesterday" is neither ISO-8601 (2014-04-01 00:00:00) nor epoch seconds'],
    ]);
  });

  it('recognises a CSV by its header even without the .csv extension', async () => {
    const { batches } = await readAll(write('export.txt', 'timestamp,value\n2024-01-01 00:05:00,3\n'));
    expect(batches[0]!.samples[0]).toMatchObject({ name: 'export', value: 3, timestampMs: Date.UTC(2024, 0, 1, 0, 5) });
  });

  it('skips a CSV line longer than 16 MiB and reads on', async () => {
    const { batches, problems } = await readAll(write('giant.csv', 'timestamp,value\n1700000000,1\n' + '9'.repeat(20 << 20) + '\n1700000060,2\n'));
    expect(problems.map((p) => p.line)).toEqual([3]);
    expect(batches.map((b) => b.samples[0]!.value)).toEqual([1, 2]);
  });

  it('names a CSV series from a file name that is not a valid metric name', async () => {
    const { batches } = await readAll(write('7-day load.csv', 'timestamp,value\n2024-01-01T00:00:00+01:00,1\n'));
    expect(batches[0]!.samples[0]!.name).toBe('_7_day_load');
    expect(batches[0]!.atMs).toBe(Date.UTC(2023, 11, 31, 23));
  });
});
