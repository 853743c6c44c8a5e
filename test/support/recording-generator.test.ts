// Checks the generator itself with a deliberately naive reader of its own (not src/ingest), so a bug
// in the real parser cannot hide a bug here.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateRecording, type GroundTruth } from './recording-generator.ts';

const dir = mkdtempSync(join(tmpdir(), 'sentinel-gen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Line { name: string; labels: Record<string, string>; value: number; tsSeconds: number }

function naiveParse(text: string): { samples: Line[]; comments: string[] } {
  const samples: Line[] = [];
  const comments: string[] = [];
  for (const raw of text.split('\n')) {
    if (raw === '') continue;
    if (raw.startsWith('#')) { comments.push(raw); continue; }
    const m = /^([a-z_]+)(\{(.*)\})? (\S+) (\S+)$/.exec(raw);
    if (!m) throw new Error(`unparseable line: ${raw}`);
    const labels: Record<string, string> = {};
    for (const l of (m[3] ?? '').matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: m[1]!, labels, value: Number(m[4]), tsSeconds: Number(m[5]) });
  }
  return { samples, comments };
}

function key(s: Line): string {
  return s.name + JSON.stringify(Object.entries(s.labels).sort());
}

function inMemory(opts: Parameters<typeof generateRecording>[0]): { truth: GroundTruth; samples: Line[]; comments: string[] } {
  const truth = generateRecording(opts);
  return { truth, ...naiveParse(truth.text!) };
}

describe('the recording generator', () => {
  it('writes OpenMetrics ending with # EOF, every sample stamped in seconds within the recording', () => {
    const { truth, samples, comments } = inMemory({ scenario: 'zones_unhealthy', seed: 2, days: 1, intervalSeconds: 300 });
    expect(truth.text!.endsWith('# EOF\n')).toBe(true);
    expect(comments).toContain('# TYPE integration_requests counter');
    expect(samples.length).toBe(truth.samples);
    expect(samples.filter((s) => s.tsSeconds * 1000 < truth.startMs || s.tsSeconds * 1000 >= truth.endMs + 1000)).toEqual([]);
    const names = new Set(samples.map((s) => s.name));
    for (const n of ['integration_requests_total', 'integration_request_duration_seconds_bucket', 'db_client_operation_duration_seconds_count',
      'integration_routing_flows', 'integration_queue_events_total', 'integration_queue_pending_events', 'integration_queue_oldest_pending_age_seconds']) {
      expect(names).toContain(n);
    }
  });

  it('streams a file, escapes quotes, backslashes and newlines, and sometimes shuffles label order', () => {
    const out = join(dir, 'esc.om');
    const truth = generateRecording({ scenario: 'error_code_shift', seed: 9, days: 1, out, shuffledLabelShare: 0.2, intervalSeconds: 300 });
    const text = readFileSync(out, 'utf8');
    expect(truth.text).toBeUndefined();
    expect(text).toContain('operation="SOAP \\"Results\\\\Get\\""');
    expect(text).toMatch(/\{le="[^"]+",outcome=/);
    const labels = naiveParse(text).samples.map((s) => s.labels.operation);
    expect(labels).toContain('SOAP "Results\\Get"');
  });

  it('keeps counters monotone except at the process restart, and leaves a 10-minute scrape gap', () => {
    const { truth, samples } = inMemory({ scenario: 'quiet_fortnight', seed: 11, days: 1, intervalSeconds: 120 });
    const restart = truth.noise.find((e) => e.kind === 'restart')!;
    const gap = truth.noise.find((e) => e.kind === 'scrape_gap')!;
    expect(restart).toBeDefined();
    const last = new Map<string, Line>();
    let decreasesAtRestart = 0;
    for (const s of samples) {
      if (!/_(total|bucket|count|sum)$/.test(s.name)) continue;
      const k = key(s);
      const prev = last.get(k);
      if (prev && s.value < prev.value) {
        // Allowed only for the first scrape after the restart.
        expect(prev.tsSeconds * 1000).toBeLessThan(restart.startMs);
        expect(s.tsSeconds * 1000).toBeGreaterThanOrEqual(restart.startMs);
        decreasesAtRestart++;
      }
      last.set(k, s);
    }
    expect(decreasesAtRestart).toBeGreaterThan(20);
    const times = [...new Set(samples.map((s) => Math.floor(s.tsSeconds / 60)))].sort((a, b) => a - b);
    const longest = Math.max(...times.slice(1).map((t, i) => t - times[i]!));
    expect(longest).toBeGreaterThanOrEqual(10);
    expect(longest).toBeLessThanOrEqual(14);
    expect(gap.endMs - gap.startMs).toBe(600_000);
  });

  it('puts an error-code shift at night and makes every call of that partner fail', () => {
    const { truth, samples } = inMemory({ scenario: 'error_code_shift', seed: 5, days: 2, intervalSeconds: 300 });
    const inc = truth.incident!;
    expect(new Date(inc.startMs).getUTCHours()).toBeLessThan(4);
    const partner = inc.entities[0]!.partner!;
    const successAt = (tMs: number): number => samples
      .filter((s) => s.name === 'integration_requests_total' && s.labels.partner === partner && s.labels.outcome === 'success'
        && Math.abs(s.tsSeconds * 1000 - tMs) < 150_000)
      .reduce((a, s) => a + s.value, 0);
    expect(successAt(inc.startMs + 3_600_000)).toBe(successAt(inc.startMs));
    expect(successAt(inc.startMs)).toBeGreaterThan(successAt(inc.startMs - 6 * 3_600_000));
  });

  it('stops one operation in business hours on a weekday without any error', () => {
    const { truth, samples } = inMemory({ scenario: 'success_drop', seed: 3, days: 2, intervalSeconds: 300 });
    const inc = truth.incident!;
    const d = new Date(inc.startMs);
    expect(d.getUTCHours()).toBeGreaterThanOrEqual(9);
    expect(d.getUTCHours()).toBeLessThan(15);
    expect([1, 2, 3, 4, 5]).toContain(d.getUTCDay());
    const { partner, operation } = inc.entities[0]!;
    const during = samples.filter((s) => s.name === 'integration_requests_total' && s.labels.partner === partner
      && s.labels.operation === operation && s.tsSeconds * 1000 >= inc.startMs && s.tsSeconds * 1000 < inc.endMs);
    const byOutcome = new Map<string, number[]>();
    for (const s of during) byOutcome.set(s.labels.outcome + (s.labels.error_code ?? ''), [...(byOutcome.get(s.labels.outcome + (s.labels.error_code ?? '')) ?? []), s.value]);
    for (const values of byOutcome.values()) expect(Math.max(...values)).toBe(Math.min(...values));
  });

  it('reproduces a recording from its seed and draws another timing from another seed', () => {
    const a = generateRecording({ scenario: 'query_timeout', seed: 21, days: 1, intervalSeconds: 600 });
    const b = generateRecording({ scenario: 'query_timeout', seed: 21, days: 1, intervalSeconds: 600 });
    const c = generateRecording({ scenario: 'query_timeout', seed: 22, days: 1, intervalSeconds: 600 });
    expect(a.text).toBe(b.text);
    expect(c.incident!.startMs).not.toBe(a.incident!.startMs);
    expect(a.incident!.slowdownStartMs!).toBeLessThan(a.incident!.startMs);
  });

  it('keeps the low-rate partner near 0.4 calls a minute', () => {
    const { truth, samples } = inMemory({ scenario: 'zones_unhealthy', seed: 8, days: 3, intervalSeconds: 600 });
    const lastTs = samples[samples.length - 1]!.tsSeconds;
    const total = samples.filter((s) => s.name === 'integration_requests_total' && s.labels.partner === 'registry' && s.tsSeconds === lastTs)
      .reduce((a, s) => a + s.value, 0);
    const minutes = (lastTs * 1000 - truth.startMs) / 60_000;
    expect(total / minutes).toBeGreaterThan(0.3);
    expect(total / minutes).toBeLessThan(0.5);
  });
});

describe('the recording generator with vary', () => {
  it('draws another healthy world from the seed, with counters starting above 0', () => {
    const plain = inMemory({ scenario: 'zones_unhealthy', seed: 12, days: 1, intervalSeconds: 600 });
    const varied = inMemory({ scenario: 'zones_unhealthy', seed: 12, days: 1, intervalSeconds: 600, vary: true });
    const firstSuccess = (r: typeof plain): number => r.samples.find((s) => s.name === 'integration_requests_total' && s.labels.operation === 'GET /patients/{id}' && s.labels.outcome === 'success')!.value;
    expect(firstSuccess(varied)).toBeGreaterThan(100);
    expect(firstSuccess(plain)).toBeLessThan(100);
    expect(varied.truth.text).not.toBe(plain.truth.text);
    const again = generateRecording({ scenario: 'zones_unhealthy', seed: 12, days: 1, intervalSeconds: 600, vary: true });
    expect(again.text).toBe(varied.truth.text);
  });

  it.each([15, 30, 60])('makes each stray timeout of the quiet month one timeout at %i s scrapes', (intervalSeconds) => {
    const { truth, samples } = inMemory({ scenario: 'quiet_month', seed: 7, days: 1, intervalSeconds });
    const strays = truth.noise.filter((e) => e.kind === 'stray_timeout').length;
    expect(strays).toBeGreaterThan(5);
    const timeouts = samples.filter((s) => s.name === 'db_client_operation_duration_seconds_count' && s.labels.db_operation_name === 'find_patient' && s.labels.error_type === 'timeout');
    // Restarts set counters back to 0: add up the increases.
    let total = 0;
    let last = 0;
    for (const s of timeouts) {
      total += s.value >= last ? s.value - last : s.value;
      last = s.value;
    }
    expect(total).toBe(strays);
  });
});
