// Test support for slo_burn: a partner's calls scrape after scrape, with a seeded random number of
// calls (Poisson) and of failures (binomial) per scrape, and a burn rate that follows a script.
import type { SampleBatch } from '../../src/detect/types.ts';
import { batch, sample, T0 } from './batches.ts';

export const OBJECTIVE = 0.995;

export interface PartnerScript {
  readonly partner: string;
  /** Calls a minute. */
  readonly perMinute: number;
  /** The error budget's burn at minute m (0.2: a fifth of the sustainable failure rate). */
  readonly burn: (minute: number) => number;
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function poisson(mean: number, random: () => number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k++;
  return k;
}

/** Every scrape of `minutes` minutes, one every `intervalS` seconds, of every partner's two counters. */
export function* sloScrapes(scripts: readonly PartnerScript[], minutes: number, seed: number, intervalS = 60): Generator<SampleBatch> {
  const random = rng(seed);
  const failed = new Map<string, number>();
  const succeeded = new Map<string, number>();
  for (let s = 0; s * intervalS <= minutes * 60; s++) {
    const atMs = T0 + s * intervalS * 1000;
    const minute = (s * intervalS) / 60;
    const samples = [];
    for (const p of scripts) {
      const calls = s === 0 ? 0 : poisson((p.perMinute * intervalS) / 60, random);
      const share = Math.min(1, p.burn(minute) * (1 - OBJECTIVE));
      let errors = 0;
      for (let i = 0; i < calls; i++) if (random() < share) errors++;
      failed.set(p.partner, (failed.get(p.partner) ?? 0) + errors);
      succeeded.set(p.partner, (succeeded.get(p.partner) ?? 0) + calls - errors);
      samples.push(sample('integration_requests_total', { partner: p.partner, outcome: 'server_error' }, failed.get(p.partner)!, atMs));
      samples.push(sample('integration_requests_total', { partner: p.partner, outcome: 'success' }, succeeded.get(p.partner)!, atMs));
    }
    yield batch(atMs, samples);
  }
}
