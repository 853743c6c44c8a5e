// The normal band of a share kind's chart: the shares a part would show in this many calls if its
// learned normal share still held. Poisson quantiles (the model the share kinds judge with) of
// normal x calls, at one in a thousand either side, divided by the calls: wide at night when a window
// holds few calls, narrow by day. Above 1000 expected the normal approximation stands in (bounded cost).
import type { Measure } from './kind.js';

const TAIL = 1e-3;
/** z for a one-sided 1e-3 tail. */
const Z = 3.09;

export function shareBand(normal: number, calls: number): Pick<Measure, 'lower' | 'upper'> {
  if (!(calls > 0) || !(normal >= 0)) return {};
  const lambda = normal * calls;
  if (lambda > 1000) {
    const sd = Math.sqrt(lambda);
    return { lower: Math.max(0, (lambda - Z * sd) / calls), upper: Math.min(1, (lambda + Z * sd) / calls) };
  }
  // Walk the Poisson CDF once: the first count whose CDF passes TAIL, then 1 - TAIL.
  let pmf = Math.exp(-lambda);
  let cdf = pmf;
  let k = 0;
  let lowCount = cdf > TAIL ? 0 : -1;
  while (cdf < 1 - TAIL && k < lambda + 60 * Math.sqrt(lambda + 1) + 60) {
    k++;
    pmf *= lambda / k;
    cdf += pmf;
    if (lowCount < 0 && cdf > TAIL) lowCount = k;
  }
  return { lower: Math.max(0, lowCount) / calls, upper: Math.min(1, k / calls) };
}
