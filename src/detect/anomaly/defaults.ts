// The one parameter set: tuned on NAB's 34 labelled series as a whole, never per file.
import type { AnomalyParams } from './types.js';

export const DEFAULT_ANOMALY_PARAMS: AnomalyParams = {
  direction: 'both',
  season: 'auto',
  warmupPoints: 200,
  maxWarmupPoints: 700,
  minSeasonCorrelation: 0.5,
  levelAlpha: 0.05,
  seasonAlpha: 0.1,
  scaleAlpha: 0.01,
  learnClip: 3,
  shiftPoints: 6,
  spikeZ: 8,
  spikeTail: 2,
  tailAlpha: 0.001,
  cusumK: 1,
  cusumH: 20,
  recentPoints: 10,
  referenceAlpha: 0.002,
  likelihoodZ: 5,
  refractoryPoints: 25,
  rearmScore: 1,
  novelMargin: 0.05,
  rangeDecay: 0.00003,
};
