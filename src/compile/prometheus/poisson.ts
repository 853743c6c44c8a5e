// Poisson tail tests in PromQL. PromQL has no Poisson CDF (nor erf), so:
// - for small counts the tail is the exact finite sum exp(-λ) Σ λ^i / i!, one branch per count
//   (factorials are constants computed here);
// - above that, the Wilson–Hilferty cube-root transform turns the tail into a normal z-score built from
//   + * ^ sqrt, compared with the p-value's normal quantile, a constant computed here (probit).
// Where the exact branches stop is found here, per p-value, by comparing Wilson–Hilferty with the
// detector's own exact sums over a grid of means: each branch costs Prometheus a dozen vector
// operations per evaluation, so there are only as many as the approximation needs.
// test/compile/poisson.test.ts runs these expressions on promtool against the detector's exact sums.
import { probit } from 'simple-statistics';
import { poissonCdf, poissonSurvival } from '../../model/index.js';

const MAX_EXACT = 60;

/** The largest count where Wilson–Hilferty decides otherwise than the exact tail (away from the edge), plus one. */
const exactUpToMemo = new Map<string, number>();
function exactUpTo(p: number, tail: 'surplus' | 'deficit'): number {
  const key = `${tail}:${p}`;
  let upTo = exactUpToMemo.get(key);
  if (upTo === undefined) {
    upTo = searchExactUpTo(p, tail);
    exactUpToMemo.set(key, upTo);
  }
  return upTo;
}

function searchExactUpTo(p: number, tail: 'surplus' | 'deficit'): number {
  const z = probit(p);
  let worst = 0;
  for (let k = tail === 'surplus' ? 1 : 0; k <= MAX_EXACT; k++) {
    for (let lambda = 0.001; lambda < 1000; lambda *= 1.05) {
      const exact = tail === 'surplus' ? poissonSurvival(k, lambda) : poissonCdf(k, lambda);
      if (exact > p / 2 && exact < 2 * p) continue;
      const a = tail === 'surplus' ? k : k + 1;
      const zk = 3 * Math.sqrt(a) * ((lambda / a) ** (1 / 3) - 1 + 1 / (9 * a));
      const approx = tail === 'surplus' ? zk <= z : zk > -z;
      const truth = tail === 'surplus' ? exact <= p : exact < p;
      if (approx !== truth) worst = Math.max(worst, k);
    }
  }
  return Math.min(MAX_EXACT, worst + 1);
}

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

/** exp(-λ) Σ_{i=0..k} λ^i / i!  (P(X <= k)) as PromQL. */
function cdf(k: number, lambda: string): string {
  const terms = ['1'];
  for (let i = 1; i <= k; i++) terms.push(i === 1 ? lambda : `${lambda} ^ ${i} / ${factorial(i)}`);
  return `exp(-${lambda}) * (${terms.join(' + ')})`;
}

/** z-score of P(Gamma(a, 1) <= lambda) (Wilson–Hilferty); `a` is a positive count expression. */
function gammaZ(a: string, lambda: string): string {
  return `(3 * sqrt(${a}) * ((${lambda} / ${a}) ^ (1 / 3) - 1 + 1 / (9 * ${a})))`;
}

/**
 * Keeps the `count` samples for which P(X >= count | X ~ Poisson(lambda)) <= p: "too many to be chance"
 * (the detector's poissonSurvival). `count` and `lambda` share labels; `on` is their matching clause.
 */
export function poissonSurplus(count: string, lambda: string, p: number, on: string): string {
  const k = `round(${count})`;
  const branches: string[] = [];
  const upTo = exactUpTo(p, 'surplus');
  for (let j = 1; j <= upTo; j++) branches.push(`${k} == ${j} and ${on} 1 - ${cdf(j - 1, lambda)} <= ${p}`);
  branches.push(`${k} > ${upTo} and ${on} ${gammaZ(k, lambda)} <= ${probit(p).toPrecision(6)}`);
  return `(${count} and ${on} (${branches.join(' or ')}))`;
}

/**
 * Keeps the `observed` samples for which P(X <= observed | X ~ Poisson(expected)) < p: "too few to be
 * chance" (the detector's poissonCdf). P(X <= k) = P(Gamma(k + 1) > λ) above the exact range.
 */
export function poissonDeficit(observed: string, expected: string, p: number, on: string): string {
  const k = `round(${observed})`;
  const branches: string[] = [];
  const upTo = exactUpTo(p, 'deficit');
  for (let j = 0; j <= upTo; j++) branches.push(`${k} == ${j} and ${on} ${cdf(j, expected)} < ${p}`);
  branches.push(`${k} > ${upTo} and ${on} ${gammaZ(`(${k} + 1)`, expected)} > ${(-probit(p)).toPrecision(6)}`);
  return `(${observed} and ${on} (${branches.join(' or ')}))`;
}
