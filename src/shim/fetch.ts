// instrumentFetch: the same function as fetch, counting and timing every call per partner and
// templated operation. Only the method, the path (templated) and the status are ever looked at: no
// query string, header, body or error message reaches a label.
import { applyClassify, declaredCodes, verdictForError, verdictForStatus, type Verdict } from './outcome.js';
import { httpSeries } from './http-operation.js';
import { partnerSeries, type OperationSeries, type PartnerSeries } from './partner.js';
import { pendingCalls, type PendingCalls, type PendingOwner } from './pending-calls.js';
import { RouteTemplater } from './route.js';
import type { Classify, FetchOptions } from './types.js';

type Fetch = typeof globalThis.fetch;

class FetchRecorder implements PendingOwner {
  constructor(
    readonly partner: PartnerSeries,
    readonly templater: RouteTemplater<OperationSeries>,
    readonly classify: Classify | undefined,
    readonly allowed: ReadonlySet<string>,
    readonly pending: PendingCalls,
  ) {}

  /** The series of this request's operation; a repeated operation is one trie walk and one Map hit. */
  seriesOf(url: string, method: string | undefined): OperationSeries {
    return httpSeries(this.partner, this.templater, method, url);
  }

  countPending(url: string, method: string | undefined, seconds: number): void {
    this.seriesOf(url, method).recordSuccess(seconds);
  }

  recordResponse(url: string, method: string | undefined, response: Response, seconds: number): void {
    const status = response.status;
    // The common case, settled without a verdict object: below 400 is a success (verdictForStatus),
    // counted with the other pending calls (pending-calls.ts says why).
    if (status < 400 && this.classify === undefined) return this.pending.add(this, url, method, seconds);
    const series = this.seriesOf(url, method);
    let verdict: Verdict = verdictForStatus(status);
    if (this.classify) {
      verdict = applyClassify(this.classify, this.allowed, response, { partner: this.partner.partner, operation: series.operation, threw: false }, verdict);
    }
    series.record(verdict, seconds);
  }

  recordError(url: string, method: string | undefined, error: unknown, seconds: number): void {
    const series = this.seriesOf(url, method);
    let verdict: Verdict = verdictForError(error);
    if (this.classify) {
      verdict = applyClassify(this.classify, this.allowed, error, { partner: this.partner.partner, operation: series.operation, threw: true }, verdict);
    }
    series.record(verdict, seconds);
  }
}

/** Wraps `fetch` (global or a client's own): same signature, same responses and errors. */
export function instrumentFetch<F extends Fetch>(fetchImpl: F, options: FetchOptions): F {
  if (typeof fetchImpl !== 'function') throw new TypeError('instrumentFetch: the first argument must be a fetch function');
  const recorder = new FetchRecorder(
    partnerSeries(options.partner, options.maxOperations),
    new RouteTemplater<OperationSeries>(options.routes, options.staticSegments),
    options.classify,
    declaredCodes(options.errorCodes),
    pendingCalls(),
  );
  const instrumented = function instrumentedFetch(input: Parameters<Fetch>[0], init?: RequestInit): Promise<Response> {
    // Only the URL's path and the method are kept, read now: a URL or Request may change later.
    let url: string;
    let method: string | undefined;
    try {
      method = init?.method;
      if (typeof input === 'string') url = input;
      else if (input instanceof URL) url = input.pathname;
      else if (input !== null && typeof input === 'object' && typeof (input as Request).url === 'string') {
        url = (input as Request).url;
        method ??= (input as Request).method;
      } else url = String(input);
    } catch {
      return fetchImpl(input, init); // never let labelling break a call
    }
    const start = performance.now();
    return fetchImpl(input, init).then(
      (response) => {
        try {
          recorder.recordResponse(url, method, response, (performance.now() - start) / 1000);
        } catch { /* labelling failed: the call goes uncounted, the caller gets its response */ }
        return response;
      },
      (error: unknown) => {
        try {
          recorder.recordError(url, method, error, (performance.now() - start) / 1000);
        } catch { /* as above */ }
        throw error;
      },
    );
  };
  return instrumented as F;
}
