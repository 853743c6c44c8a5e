// Finds a series' season from its warm-up: the candidate period (a day, a week) whose lag the
// autocorrelation peaks at, if it peaks clearly. A series without one is judged against its level.

/** Autocorrelation of `values` at `lag` (0 when the series is flat or too short for two periods). */
export function autocorrelation(values: readonly number[], lag: number): number {
  const n = values.length;
  if (lag <= 0 || n < 2 * lag) return 0;
  let mean = 0;
  for (const v of values) mean += v;
  mean /= n;
  let den = 0;
  for (const v of values) den += (v - mean) * (v - mean);
  if (den <= 0) return 0;
  let num = 0;
  for (let i = lag; i < n; i++) num += (values[i]! - mean) * (values[i - lag]! - mean);
  // Normalised per pair, not by n: with only two periods the biased estimate cannot exceed 1/2.
  return (num / (n - lag)) / (den / n);
}

/** The best-correlated candidate period (in steps) whose autocorrelation reaches `minCorrelation`, or 0. */
export function findSeason(values: readonly number[], candidates: readonly number[], minCorrelation: number): number {
  let best = 0;
  let bestCorrelation = minCorrelation;
  for (const lag of candidates) {
    const r = autocorrelation(values, lag);
    if (r >= bestCorrelation) {
      best = lag;
      bestCorrelation = r;
    }
  }
  return best;
}
