// The share kinds' evidence at low rate (src/detect/kinds/share.ts): the window widens only where the
// rule's window holds few calls and is not certain, never reaches back into a resolved alert, and the
// normal is the healthier of the baseline and the long reference; a scrape gap breaks a sustain and
// leaves nothing "recent".
import { describe, expect, it } from 'vitest';
import type { Entity } from '../../src/detect/kinds/kind.ts';
import { judgedWindow, judgeShare, normalShare, recentCount } from '../../src/detect/kinds/share.ts';
import type { Track } from '../../src/detect/track.ts';

const MIN = 60_000;
const NOW = Date.UTC(2026, 2, 7, 2, 0);
const RULE = { windowMs: 10 * MIN, baselineMs: 24 * 60 * MIN, factor: 4, pValue: 1e-6 };

/** A cumulative track, one point every `stepMs` over the `spanMs` before NOW: `at(minutesAgo)` counts in each step. */
function track(spanMs: number, stepMs: number, at: (minutesAgo: number) => number): Track {
  const t: number[] = [];
  const v: number[] = [];
  let sum = 0;
  for (let ms = NOW - spanMs; ms <= NOW; ms += stepMs) {
    sum += at((NOW - ms) / MIN);
    t.push(ms);
    v.push(sum);
  }
  return { t, v };
}

function entity(fine: Record<string, Track>, coarse: Record<string, Track> = {}, memo: Record<string, unknown> = {}): Entity {
  return { labels: { partner: 'pharmacy' }, firstMs: NOW - 3 * 24 * 60 * MIN, lastSeenMs: NOW, cum: {}, fine, coarse, lastCoarseMs: NOW, memo };
}

describe('the share kinds at one call a minute', () => {
  // One call a minute; a new code 28, 17 and 4 minutes ago: one of them in the rule's 10 minutes.
  const calls = track(40 * MIN, MIN, () => 1);
  const code = track(40 * MIN, MIN, (ago) => (ago === 28 || ago === 17 || ago === 4 ? 1 : 0));

  it('counts a ramping code over three windows when the rule\'s window holds too few calls to be certain', () => {
    const ev = judgedWindow(entity({ __total: calls, 'code:invalid_grant': code }), 'code:invalid_grant', '__total', NOW, RULE, 1e-4);
    expect(ev).toEqual({ windowMs: 30 * MIN, count: 3, total: 30 });
  });

  it('keeps the rule\'s window for a sharp change, where the evidence is clearer', () => {
    const sharp = track(40 * MIN, MIN, (ago) => (ago < 5 ? 1 : 0));
    const ev = judgedWindow(entity({ __total: calls, 'code:invalid_grant': sharp }), 'code:invalid_grant', '__total', NOW, RULE, 1e-4);
    expect(ev.windowMs).toBe(10 * MIN);
    expect(ev.count).toBe(5);
  });

  it('never reaches back into an alert that resolved 12 minutes ago', () => {
    const ent = entity({ __total: calls, 'code:invalid_grant': code }, {}, { firingAt: { 'code:invalid_grant': NOW - 12 * MIN } });
    expect(judgedWindow(ent, 'code:invalid_grant', '__total', NOW, RULE, 1e-4).windowMs).toBe(10 * MIN);
  });
});

describe('the normal a share is judged against', () => {
  it('is the lower of the last day\'s share and the long reference: a code that crept up over the last day is judged against the day before too', () => {
    // 100 calls every 5 minutes for three days; the code on 1 in 100 calls over the last day, never before.
    const calls = track(3 * 24 * 60 * MIN, 5 * MIN, () => 100);
    const code = track(3 * 24 * 60 * MIN, 5 * MIN, (ago) => (ago <= 24 * 60 ? 1 : 0));
    const ent = entity({}, { __total: calls, 'code:x': code });
    const normal = normalShare(ent, 'code:x', '__total', NOW, RULE);
    // The last day alone: ~1 %. With the day before (no code): about half of it.
    expect(normal).toBeGreaterThan(0.004);
    expect(normal).toBeLessThan(0.006);
  });
});

describe('a scrape gap', () => {
  // One call a minute and a timeout 32 minutes ago, then 30 minutes without a scrape.
  const gapped = (at: (minutesAgo: number) => number): Track => {
    const full = track(60 * MIN, MIN, at);
    const keep = full.t.map((t, i) => ((NOW - t) / MIN > 0 && (NOW - t) / MIN < 31 ? -1 : i)).filter((i) => i >= 0);
    return { t: keep.map((i) => full.t[i]!), v: keep.map((i) => full.v[i]!) };
  };

  it('leaves nothing recent: the increase across it may have come at any time in the gap', () => {
    const ent = entity({ part: gapped((ago) => (ago === 20 ? 1 : 0)) });
    expect(recentCount(ent, 'part', NOW, 5 * MIN)).toBe(0);
    const scraped = entity({ part: track(60 * MIN, MIN, (ago) => (ago === 2 ? 1 : 0)) });
    expect(recentCount(scraped, 'part', NOW, 5 * MIN)).toBe(1);
  });

  it('starts a sustain anew when the part was last above normal longer than `sustain` ago, evaluated or not', () => {
    const ent = entity({});
    const rule = { floorShare: 0.02, sustainMs: 5 * MIN, exitAt: 0.5, factor: 4 };
    const quiet = { count: 2, total: 11, normal: 2e-5, sure: false, significant: true, sureShare: 0.2, recentCount: 1, abnormal: true };
    // Above normal 35 minutes ago, then nothing evaluated (a scrape gap), then above normal again.
    expect(judgeShare(ent, 'part', quiet, undefined, rule, NOW - 35 * MIN).holds).toBe(false);
    ent.cum.part = 2;
    expect(judgeShare(ent, 'part', quiet, undefined, rule, NOW).holds).toBe(false);
    // Held above normal, evaluated every minute, for the sustain after that: it holds (with more of the part since).
    for (let m = 1; m < 5; m++) expect(judgeShare(ent, 'part', quiet, undefined, rule, NOW + m * MIN).holds).toBe(false);
    ent.cum.part = 3;
    expect(judgeShare(ent, 'part', quiet, undefined, rule, NOW + 5 * MIN).holds).toBe(true);
  });
});
