// A streaming model of "what this series normally looks like": a robust level plus, when the warm-up
// shows one, a seasonal profile (Holt-Winters, additive, residuals clipped before they are learned).
// Five detectors read the residual in sigmas: a spike (far out and rare in the reference), a novel
// level (beyond the range ever kept), a shift (CUSUM of the clipped residual), the likelihood of the
// recent window against the long reference (as Numenta's anomaly likelihood) and a stuck value.
// One pass, O(season + bins + window) memory, state as plain JSON. Why these: docs/rules.md.
import { findSeason } from './season.js';
import type { AnomalyParams, AnomalyState, AnomalyVerdict, Detector } from './types.js';

const DAY_MS = 86_400_000;
const SIGMA_PER_MEAN_ABS = 1.2533; // σ / E|X| for a normal variable

export function newAnomalyState(): AnomalyState {
  return {
    v: 1, n: 0, lastMs: -Number.MAX_VALUE, warm: [], trained: false, stepMs: 0, periodSteps: 0, periodMs: 0,
    level: 0, seasonal: [], peaks: [], scale: 0, scaleFloor: 0, cusumUp: 0, cusumDown: 0,
    recent: [], recentPos: 0, recentSum: 0, tails: [], tailTotal: 0, hi: 0, lo: 0, refMean: 0, refVar: 0, outside: 0, quiet: 0, run: 0, longestRun: 0, lastValue: 0,
  };
}

const WARMING: AnomalyVerdict = {
  ready: false, expected: NaN, lower: NaN, upper: NaN, z: 0, score: 0,
  direction: undefined, detected: false, by: undefined, holding: false,
};

/** Feeds one sample (in time order; older or repeated timestamps are ignored) and judges it. */
export function updateAnomaly(state: AnomalyState, p: AnomalyParams, tMs: number, value: number): AnomalyVerdict {
  if (!(tMs > state.lastMs) || !Number.isFinite(value)) return WARMING;
  state.lastMs = tMs;
  state.n++;
  const warm = state.warm;
  if (warm === null) return judge(state, p, tMs, value, true);
  warm.push([tMs, value]);
  if (!state.trained) {
    if (warm.length < p.warmupPoints) return WARMING;
    // Judged against the level from here on; the season, if any, is looked for once two days are in.
    train(state, p, warm, 0);
    if (p.season === 'none') state.warm = null;
    return WARMING;
  }
  const verdict = judge(state, p, tMs, value, true);
  if (seasonDecidable(warm, p)) {
    state.warm = null;
    const lag = chooseSeason(state, p, warm);
    if (lag > 0) {
      const quiet = state.quiet;
      train(state, p, warm, lag);
      state.quiet = quiet;
    }
  }
  return verdict;
}

/** Two seasons' worth of samples, or the buffer's cap. */
function seasonDecidable(warm: readonly [number, number][], p: AnomalyParams): boolean {
  const n = warm.length;
  if (n >= p.maxWarmupPoints) return true;
  return warm[n - 1]![0] - warm[0]![0] >= (p.season === '1w' ? 14 : 2) * DAY_MS;
}

/** The declared season, or the candidate the autocorrelation of the warm-up clearly peaks at, in steps (0: none). */
function chooseSeason(state: AnomalyState, p: AnomalyParams, warm: readonly [number, number][]): number {
  const candidates = p.season === '1d' ? [DAY_MS] : p.season === '1w' ? [7 * DAY_MS] : [DAY_MS, 7 * DAY_MS];
  const lags = candidates.map((ms) => Math.round(ms / state.stepMs)).filter((l) => l >= 2);
  // A declared season needs no proof: slots the warm-up did not reach start at the level and learn as they come.
  if (p.season === '1d' || p.season === '1w') return lags[0] ?? 0;
  return findSeason(warm.map((w) => w[1]), lags.filter((l) => 2 * l <= warm.length), p.minSeasonCorrelation);
}

function slotOf(state: AnomalyState, tMs: number): number {
  if (state.periodSteps === 0) return -1;
  return Math.floor((((tMs % state.periodMs) + state.periodMs) % state.periodMs) / state.periodMs * state.periodSteps) % state.periodSteps;
}

/** Initial level, seasonal profile (`lag` steps, 0: none) and scale from the buffer, then the buffer replayed silently. */
function train(state: AnomalyState, p: AnomalyParams, warm: readonly [number, number][], lag: number): void {
  state.trained = true;
  const values = warm.map((w) => w[1]);
  const gaps: number[] = [];
  for (let i = 1; i < warm.length; i++) gaps.push(warm[i]![0] - warm[i - 1]![0]);
  state.stepMs = median(gaps) || 60_000;
  state.periodSteps = lag;
  state.periodMs = lag > 0 ? lag * state.stepMs : 0;
  state.cusumUp = 0;
  state.cusumDown = 0;
  state.outside = 0;
  state.level = median(values);
  state.seasonal = new Array<number>(lag).fill(0);
  state.peaks = new Array<number>(lag).fill(0);
  if (lag > 0) {
    const sums = new Array<number>(lag).fill(0);
    const counts = new Array<number>(lag).fill(0);
    for (const [t, v] of warm) {
      const s = slotOf(state, t);
      sums[s] += v - state.level;
      counts[s]++;
    }
    for (let s = 0; s < lag; s++) state.seasonal[s] = counts[s]! > 0 ? sums[s]! / counts[s]! : 0;
    // A slot the warm-up never reached (a declared week) is unknown, not "like the level": -1 marks it.
    for (let s = 0; s < lag; s++) if (counts[s] === 0) state.peaks[s] = -1;
  }
  let resolution = Infinity;
  for (let i = 1; i < values.length; i++) {
    const d = Math.abs(values[i]! - values[i - 1]!);
    if (d > 0 && d < resolution) resolution = d;
  }
  const deviations = warm.map(([t, v]) => Math.abs(v - state.level - (lag > 0 ? state.seasonal[slotOf(state, t)]! : 0)));
  // A series flat most of the time (zeros between bursts) has no typical residual: the floor is a
  // share of its spread, so one blip is not a billion sigmas.
  const sorted = [...values].sort((a, b) => a - b);
  const spread = sorted[Math.floor(0.95 * (sorted.length - 1))]! - sorted[Math.floor(0.05 * (sorted.length - 1))]!;
  state.scaleFloor = Math.max(Number.isFinite(resolution) ? resolution / 2 : 1e-9, p.spreadFloor * spread, p.rangeFloor * (sorted[sorted.length - 1]! - sorted[0]!));
  state.scale = Math.max(median(deviations), state.scaleFloor);
  state.recent = new Array<number>(p.recentPoints).fill(p.fisher ? 1 : 0.5);
  state.recentSum = (p.fisher ? 1 : 0.5) * p.recentPoints;
  state.tails = new Array<number>(BINS).fill(0);
  state.tailTotal = 0;
  state.refMean = 0;
  state.refVar = 0;
  state.hi = Math.max(...values);
  state.lo = Math.min(...values);
  for (const [t, v] of warm) judge(state, p, t, v, false);
}

function judge(state: AnomalyState, p: AnomalyParams, tMs: number, value: number, live: boolean): AnomalyVerdict {
  const slot = slotOf(state, tMs);
  if (slot >= 0 && state.peaks[slot]! < 0) {
    // First visit of an unknown slot: it is learned, not judged (an episode under way still holds).
    state.seasonal[slot] = value - state.level;
    state.peaks[slot] = 0;
    if (state.quiet > 0) state.quiet--;
    return state.quiet > 0 ? { ...WARMING, holding: true } : WARMING;
  }
  const seasonal = slot >= 0 ? state.seasonal[slot]! : 0;
  const expected = state.level + seasonal;
  // The range floor follows the range kept: a warm-up of zeros had none.
  const sigma = SIGMA_PER_MEAN_ABS * Math.max(state.scale, state.scaleFloor, p.rangeFloor * (state.hi - state.lo));
  const residual = value - expected;
  const z = residual / sigma;
  const up = p.direction !== 'down';
  const down = p.direction !== 'up';

  // How often the reference has seen a residual at least this large (decayed counts, log-spaced bins).
  const bin = binOf(z);
  let tail = 0;
  for (let b = bin; b < BINS; b++) tail += state.tails[b]!;
  // Mid-rank: ties (a quantised series sits in one bin for hours) count half.
  const rank = state.tailTotal > 0 ? 1 - (tail - 0.5 * state.tails[bin]!) / state.tailTotal : 0.5;
  // Spike: one sample far out, and (almost) never seen that far out before.
  const outward = (up ? Math.max(z, 0) : 0) + (down ? Math.max(-z, 0) : 0);
  // ...and, in a seasonal series, larger than this time of day's recent peaks (a daily batch is no spike).
  const spike = tail < p.spikeTail && Math.abs(residual) > p.peakMargin * slotPeak(state, slot, p.peakSlots) ? outward : 0;
  // Shift: CUSUM of the clipped residual, on each side.
  const zc = Math.max(-p.learnClip, Math.min(p.learnClip, z));
  state.cusumUp = Math.max(0, state.cusumUp + zc - p.cusumK);
  state.cusumDown = Math.max(0, state.cusumDown - zc - p.cusumK);
  const shift = p.cusumH > 0 ? Math.max(up ? state.cusumUp : 0, down ? state.cusumDown : 0) / p.cusumH : 0;
  // Likelihood: the recent window's mean surprise against the long reference of that mean; the
  // surprise is -ln p of each |z| in the reference (Fisher's way of adding p-values: exponential with
  // mean 1 under the reference), or with `fisher` off its mid-rank.
  // Residuals on the side not watched add nothing (the reference learns that too).
  const watched = (z >= 0 && up) || (z <= 0 && down);
  const surprise = p.fisher ? -Math.log(Math.max(1 - rank, 0.5 / Math.max(state.tailTotal, 1))) : rank;
  const a = watched ? surprise : 0;
  state.recentSum += a - state.recent[state.recentPos]!;
  state.recent[state.recentPos] = a;
  state.recentPos = (state.recentPos + 1) % state.recent.length;
  const recentMean = state.recentSum / state.recent.length;
  const refSd = Math.sqrt(state.refVar);
  const lz = refSd > 0 ? (recentMean - state.refMean) / refSd : 0;
  const likelihood = p.likelihoodZ > 0 && state.n > 2 * p.recentPoints ? lz / p.likelihoodZ : 0;

  // Novel level: beyond the range the series has kept (each edge decays slowly towards the level), by
  // a share of that range, at 3 sigma or more (plain noise still sets a record now and then).
  const range = state.hi - state.lo;
  let novel = 0;
  if (p.novelMargin > 0 && range > 0 && Math.abs(z) >= p.novelZ) {
    const over = up ? value - state.hi : -Infinity;
    const under = down ? state.lo - value : -Infinity;
    novel = Math.max(over, under, 0) / Math.max(p.novelMargin * range, p.novelSigmas * sigma);
  }
  // Stuck: the same value for far longer than the series has ever held one.
  state.run = value === state.lastValue ? state.run + 1 : 0;
  state.lastValue = value;
  const stuck = p.stuckFactor > 0 ? state.run / Math.max(p.stuckMinRun, p.stuckFactor * state.longestRun) : 0;
  const scores: [number, Detector][] = [[spike / p.spikeZ, 'spike'], [shift, 'shift'], [likelihood, 'likelihood'], [novel, 'novel'], [stuck, 'stuck']];
  let score = 0;
  let by: Detector | undefined;
  for (const [s, d] of scores) if (s > score) { score = s; by = d; }
  let detected = false;
  // The episode holds while the series still looks abnormal; re-armed after `refractoryPoints` normal ones.
  if (state.quiet > 0) state.quiet = score >= p.rearmScore ? p.refractoryPoints : state.quiet - 1;
  if (live && score >= 1 && state.quiet === 0) {
    detected = true;
    state.quiet = p.refractoryPoints;
    state.cusumUp = 0;
    state.cusumDown = 0;
  }
  learn(state, p, slot, value, z, sigma, recentMean);
  state.longestRun = Math.max(state.run, state.longestRun * (1 - p.tailAlpha));
  state.hi = Math.max(value, state.hi - p.rangeDecay * (state.hi - expected));
  state.lo = Math.min(value, state.lo + p.rangeDecay * (expected - state.lo));
  const keep = p.tailDays > 0 ? Math.min(1 - p.tailAlpha, Math.exp(-state.stepMs / (p.tailDays * DAY_MS))) : 1 - p.tailAlpha;
  for (let b = 0; b < BINS; b++) state.tails[b]! *= keep;
  state.tails[bin]! += 1;
  state.tailTotal = state.tailTotal * keep + 1;
  return {
    ready: true, expected, lower: expected - p.spikeZ * sigma, upper: expected + p.spikeZ * sigma, z, score,
    direction: score > 0 ? (z >= 0 ? 'up' : 'down') : undefined,
    detected, by: detected ? by : undefined, holding: state.quiet > 0,
  };
}

function learn(state: AnomalyState, p: AnomalyParams, slot: number, value: number, z: number, sigma: number, recentMean: number): void {
  const clip = p.learnClip * sigma;
  const residual = value - state.level - (slot >= 0 ? state.seasonal[slot]! : 0);
  const clipped = Math.max(-clip, Math.min(clip, residual));
  state.outside = Math.abs(z) > p.learnClip ? (Math.sign(z) === Math.sign(state.outside) ? state.outside + Math.sign(z) : Math.sign(z)) : 0;
  if (Math.abs(state.outside) >= p.shiftPoints) {
    // A sustained new level: take it at once rather than crawl towards it clip by clip.
    state.level += residual;
    state.outside = 0;
  } else {
    state.level += p.levelAlpha * clipped;
  }
  if (slot >= 0) {
    state.peaks[slot] = Math.max(Math.abs(residual), state.peaks[slot]! * (1 - p.peakDecay));
    const r = value - state.level - state.seasonal[slot]!;
    state.seasonal[slot]! += p.seasonAlpha * Math.max(-clip, Math.min(clip, r));
  }
  state.scale += p.scaleAlpha * (Math.min(Math.abs(residual), clip / SIGMA_PER_MEAN_ABS) - state.scale);
  const d = recentMean - state.refMean;
  state.refMean += p.referenceAlpha * d;
  state.refVar = (1 - p.referenceAlpha) * (state.refVar + p.referenceAlpha * d * d);
}

/** The largest recent |residual| at this slot and its neighbours (a daily peak drifts by minutes). */
function slotPeak(state: AnomalyState, slot: number, width: number): number {
  if (slot < 0 || width < 0) return 0;
  const m = state.periodSteps;
  let peak = 0;
  for (let d = -width; d <= width; d++) peak = Math.max(peak, state.peaks[(slot + d + m) % m]!);
  return peak;
}

const BINS = 64;
/** Log-spaced bins of |z|: a quarter octave each, from 0 to 2^16 sigmas. */
function binOf(z: number): number {
  return Math.min(BINS - 1, Math.floor(4 * Math.log2(1 + Math.abs(z))));
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
