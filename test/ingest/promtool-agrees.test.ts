// Conformance: Prometheus' own OpenMetrics importer (Debian's promtool, installed by .ci/run) reads
// the generated recordings and counts the same samples as our reader. Skipped only where promtool is
// not installed at all.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newReadStats, readRecording } from '../../src/ingest/index.js';
import { generateRecording } from '../support/recording-generator.ts';

const PROMTOOL = '/usr/bin/promtool';
const dir = mkdtempSync(join(tmpdir(), 'sentinel-promtool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!existsSync(PROMTOOL))('promtool and our reader', () => {
  for (const typeLines of ['top', 'every-scrape'] as const) {
    it(`agree on every sample of a generated recording (TYPE lines ${typeLines}, restart, gap, escapes)`, async () => {
      const file = join(dir, `${typeLines}.om`);
      const truth = generateRecording({ scenario: 'quiet_fortnight', seed: 5, days: 1, intervalSeconds: 300, typeLines, shuffledLabelShare: 0.1, out: file });
      const out = join(dir, `tsdb-${typeLines}`);
      const r = spawnSync(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=48h', file, out], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      // Block table: ULID, min, max, duration, NUM SAMPLES, chunks, series, size.
      const promtoolSamples = r.stdout.trim().split('\n').slice(1).reduce((n, row) => n + Number(row.trim().split(/\s+/)[4]), 0);
      const stats = newReadStats();
      for await (const _ of readRecording(file, { stats })) { /* count only */ }
      expect(stats.malformed).toBe(0);
      expect(stats.samples).toBe(truth.samples);
      expect(promtoolSamples).toBe(truth.samples);
    });
  }

  it('rejects what our reader forgives: a missing # EOF', async () => {
    const file = join(dir, 'no-eof.om');
    const truth = generateRecording({ scenario: 'zones_unhealthy', seed: 2, days: 1, intervalSeconds: 3600, out: file });
    spawnSync('truncate', ['-s', '-6', file]);
    const r = spawnSync(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', file, join(dir, 'tsdb-no-eof')], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/does not end with # EOF/);
    const stats = newReadStats();
    for await (const _ of readRecording(file, { stats })) { /* count only */ }
    expect(stats.samples).toBe(truth.samples);
  });
});
