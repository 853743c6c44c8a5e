// The statistics the kinds share: Poisson tails for counts (low rates must never page on chance),
// and robust bands (median / MAD) that one bad hour cannot drag.
import { median, medianAbsoluteDeviation } from 'simple-statistics';

/** P(X <= k) for X ~ Poisson(lambda), summed in log space so large lambdas do not underflow early. */
export function poissonCdf(k: number, lambda: number): number {
  if (lambda <= 0) return 1;
  const kk = Math.floor(k);
  if (kk < 0) return 0;
  let logTerm = -lambda; // log P(X = 0)
  let sum = Math.exp(logTerm);
  for (let i = 1; i <= kk; i++) {
    logTerm += Math.log(lambda / i);
    sum += Math.exp(logTerm);
    if (sum >= 1) return 1;
  }
  return sum;
}

/** P(X >= k) for X ~ Poisson(lambda). */
export function poissonSurvival(k: number, lambda: number): number {
  if (k <= 0) return 1;
  return Math.max(0, 1 - poissonCdf(k - 1, lambda));
}

export interface Band {
  readonly median: number;
  /** MAD scaled by 1.4826, so it estimates a standard deviation for normal data. */
  readonly sigma: number;
  readonly n: number;
}

/** Median and scaled MAD of the values, or undefined when there are too few to trust. */
export function robustBand(values: readonly number[], minValues: number): Band | undefined {
  if (values.length < minValues) return undefined;
  return { median: median(values as number[]), sigma: 1.4826 * medianAbsoluteDeviation(values as number[]), n: values.length };
}
