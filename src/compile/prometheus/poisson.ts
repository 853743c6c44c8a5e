// Poisson tail tests in PromQL. PromQL has no Poisson CDF (nor erf), but the Wilson–Hilferty cube-root
// transform turns the tail into a normal z-score built from +, *, ^ and sqrt, and the p-value's normal
// quantile is a constant computed here, at compile time. Accurate to a few percent of p in the tails
// the rules use (p <= 1e-3): the same decision as the detector's exact sum except right at the edge.
import { probit } from 'simple-statistics';

/** z-score of P(Gamma(a, 1) <= lambda) (Wilson–Hilferty); `a` must be a positive count expression. */
function gammaZ(a: string, lambda: string): string {
  return `(3 * sqrt(${a}) * ((${lambda} / ${a}) ^ (1 / 3) - 1 + 1 / (9 * ${a})))`;
}

/**
 * Keeps the `count` samples for which P(X >= count | X ~ Poisson(lambda)) <= p: "too many to be chance".
 * A zero lambda (never seen before) always passes, as in the detector. Both expressions share labels.
 */
export function poissonSurplus(count: string, lambda: string, p: number, on: string): string {
  const z = probit(p).toPrecision(6);
  return `(${count} and ${on} (${lambda} == 0 or ${gammaZ(count, lambda)} <= ${z}))`;
}

/**
 * Keeps the `observed` samples for which P(X <= observed | X ~ Poisson(expected)) < p: "too few to be
 * chance". P(X <= k) = P(Gamma(k + 1) > lambda).
 */
export function poissonDeficit(observed: string, expected: string, p: number, on: string): string {
  const z = (-probit(p)).toPrecision(6);
  return `(${observed} and ${on} ${gammaZ(`(${observed} + 1)`, expected)} > ${z})`;
}
