// The contract of the anomaly model: its parameters, its state (plain JSON, bounded per series) and
// what one update says about one sample.

export type AnomalyDirection = 'up' | 'down' | 'both';
export type SeasonChoice = 'auto' | 'none' | '1d' | '1w';

export interface AnomalyParams {
  readonly direction: AnomalyDirection;
  readonly season: SeasonChoice;
  /** Samples buffered before anything is judged: the season is found on them and the normal learned. */
  readonly warmupPoints: number;
  /** The warm-up waits for two seasons when a season may be found, but never buffers more than this. */
  readonly maxWarmupPoints: number;
  /** Autocorrelation a candidate season's lag must reach to be used. */
  readonly minSeasonCorrelation: number;
  /** EW weight per sample of the level. */
  readonly levelAlpha: number;
  /** EW weight per visit of one seasonal slot. */
  readonly seasonAlpha: number;
  /** EW weight per sample of the residual scale (mean absolute residual). */
  readonly scaleAlpha: number;
  /** Residuals are clipped at this many sigmas before they are learned: one outlier moves little. */
  readonly learnClip: number;
  /** The residual scale never falls below this share of the warm-up's 5-95% spread. */
  readonly spreadFloor: number;
  /** ...and this share of the range kept: a blip on a series of zeros reads as thousands of sigmas, not 1e17. */
  readonly rangeFloor: number;
  /** Consecutive samples beyond `learnClip` on one side after which the level jumps to the new one. */
  readonly shiftPoints: number;
  /** |z| at which one sample is anomalous alone, if the reference holds fewer than `spikeTail` (decayed) residuals as large. */
  readonly spikeZ: number;
  readonly spikeTail: number;
  /** EW weight per sample of the reference distribution of |z| (spike rarity and ranks). */
  readonly tailAlpha: number;
  /** ...and of at most this many days: an hourly series forgets a spike after two weeks, not six. */
  readonly tailDays: number;
  /** Seasonal series: a spike must beat the slot's recent peaks (within ±peakSlots; -1 disables), which decay per visit. */
  readonly peakSlots: number;
  readonly peakDecay: number;
  /** ...by this factor. */
  readonly peakMargin: number;
  /** CUSUM of the clipped z: allowance per sample and decision height (0 disables). */
  readonly cusumK: number;
  readonly cusumH: number;
  /** Likelihood of the recent window: its length, the EW weight of the long reference, the z it fires at (0 disables). */
  readonly recentPoints: number;
  readonly referenceAlpha: number;
  readonly likelihoodZ: number;
  /** The window adds each sample's -ln p (Fisher) rather than its mid-rank: ranks cap at 1 and miss a tripled noise. */
  readonly fisher: boolean;
  /** Samples after a detection during which no new one is raised: one anomaly, one detection. */
  readonly refractoryPoints: number;
  /** Novel level: a value beyond the kept range by this share of it (0 disables); the range's edges decay per sample by `rangeDecay`. */
  readonly novelMargin: number;
  readonly rangeDecay: number;
  /** ...and by at least this many sigmas: a short warm-up's range is narrow. */
  readonly novelZ: number;
  /** ...and the margin is at least this many sigmas. */
  readonly novelSigmas: number;
  /** Stuck: one value repeated longer than stuckFactor x the longest run the reference holds, and than stuckMinRun (0 disables). */
  readonly stuckFactor: number;
  readonly stuckMinRun: number;
  /** A score at or above this during the refractory period restarts it (the episode goes on). */
  readonly rearmScore: number;
}

export interface AnomalyState {
  v: 1;
  n: number;
  lastMs: number;
  /** Warm-up buffer of [tMs, value], kept until the season is decided; then null. */
  warm: [number, number][] | null;
  /** Judging (against the level alone until the season is decided). */
  trained: boolean;
  stepMs: number;
  /** Season length in steps (0: none) and its duration. */
  periodSteps: number;
  periodMs: number;
  level: number;
  seasonal: number[];
  /** Per slot: the largest recent |residual|, decayed per visit (-1: a slot not seen yet). */
  peaks: number[];
  scale: number;
  scaleFloor: number;
  cusumUp: number;
  cusumDown: number;
  /** Ring of the last `recentPoints` clipped |z| and their running sum. */
  recent: number[];
  recentPos: number;
  recentSum: number;
  /** Decayed counts of past |z| per log-spaced bin, and their total: the reference distribution. */
  tails: number[];
  tailTotal: number;
  hi: number;
  lo: number;
  refMean: number;
  refVar: number;
  outside: number;
  /** Repeats of the last value, and the longest run of repeats the reference holds (decayed). */
  run: number;
  longestRun: number;
  lastValue: number;
  quiet: number;
}

export type Detector = 'spike' | 'shift' | 'likelihood' | 'novel' | 'stuck';

export interface AnomalyVerdict {
  /** False while warming up: nothing is judged yet. */
  readonly ready: boolean;
  readonly expected: number;
  /** The band of normal values (expected ± spikeZ sigmas). */
  readonly lower: number;
  readonly upper: number;
  /** Signed residual in sigmas. */
  readonly z: number;
  /** The strongest of the three detectors, each scaled so 1 is its firing level. */
  readonly score: number;
  readonly direction: 'up' | 'down' | undefined;
  /** This sample raises a detection (first of an episode), and which detector did. */
  readonly detected: boolean;
  readonly by: Detector | undefined;
  /** Within the refractory period after a detection (the alert holds). */
  readonly holding: boolean;
}
