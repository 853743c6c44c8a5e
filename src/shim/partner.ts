// One partner's series: the operation cap and the per-(operation, outcome, error_code) counters.
// Shared by every instrumentFetch/instrumentClient wrapping the same partner, so the cap of 200
// operations holds per partner however many clients the service builds.
import type { HistogramSeries } from './histogram.js';
import { ensureBound, newOverflowSeries, newRequestSeries, type CountSeries } from './instruments.js';
import { registry, slot, slotKey } from './registry.js';
import type { Verdict } from './outcome.js';
import { OTHER } from './types.js';

const NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
export const DEFAULT_MAX_OPERATIONS = 200;

/** A (partner, operation) pair: the success series pre-built, error series on first use. */
export class OperationSeries {
  readonly success: CountSeries;
  readonly successDuration: HistogramSeries;
  private readonly failures = new Map<string, { series: CountSeries; duration: HistogramSeries }>();
  // Failures share one histogram series per outcome (the histogram has no error_code label).
  private readonly failureDurations = new Map<string, HistogramSeries>();

  constructor(
    readonly partner: string,
    readonly operation: string,
  ) {
    ensureBound();
    this.success = newRequestSeries({ partner, operation, outcome: 'success' });
    this.successDuration = registry().requestDurations.newSeries({ partner, operation, outcome: 'success' });
  }

  recordSuccess(seconds: number): void {
    this.success.count++;
    this.successDuration.record(seconds);
  }

  record(verdict: Verdict, seconds: number): void {
    if (verdict.errorCode === undefined) return this.recordSuccess(seconds);
    const key = verdict.outcome + ' ' + verdict.errorCode;
    let f = this.failures.get(key);
    if (!f) {
      const { partner, operation } = this;
      let duration = this.failureDurations.get(verdict.outcome);
      if (!duration) {
        duration = registry().requestDurations.newSeries({ partner, operation, outcome: verdict.outcome });
        this.failureDurations.set(verdict.outcome, duration);
      }
      f = { series: newRequestSeries({ partner, operation, outcome: verdict.outcome, error_code: verdict.errorCode }), duration };
      this.failures.set(key, f);
    }
    f.series.count++;
    f.duration.record(seconds);
  }
}

export class PartnerSeries {
  private readonly operations = new Map<string, OperationSeries>();
  private readonly overflow: CountSeries;
  private readonly otherOperation: OperationSeries;

  constructor(
    readonly partner: string,
    readonly maxOperations: number,
  ) {
    this.overflow = newOverflowSeries({ partner });
    this.otherOperation = new OperationSeries(partner, OTHER);
  }

  /** The series for an operation, or for `other` once the partner holds maxOperations distinct ones. */
  operation(name: string): OperationSeries {
    const found = this.operations.get(name);
    if (found) return found;
    if (name === OTHER) return this.otherOperation;
    if (this.operations.size >= this.maxOperations) {
      this.overflow.count++;
      return this.otherOperation;
    }
    const created = new OperationSeries(this.partner, name);
    this.operations.set(name, created);
    return created;
  }
}

/** Shared by every wrapper naming the partner, so its operation cap holds across clients. */
const PARTNERS = slotKey('partners', () => new Map<string, PartnerSeries>());

/** The shared series of a partner; the first wrapper to name it fixes its operation cap. */
export function partnerSeries(partner: string, maxOperations = DEFAULT_MAX_OPERATIONS): PartnerSeries {
  checkName('partner', partner);
  const partners = slot(PARTNERS);
  let p = partners.get(partner);
  if (!p) {
    p = new PartnerSeries(partner, maxOperations);
    partners.set(partner, p);
  }
  return p;
}

/** Names given in code (partner, query, queue) become labels; reject anything that is not a plain name. */
export function checkName(what: string, name: unknown): asserts name is string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new TypeError(`${what} name ${JSON.stringify(name)} is not valid: use letters, digits, '_', '.', '-' (e.g. "elation")`);
  }
}
