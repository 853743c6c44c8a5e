// instrumentClient: a Proxy over a partner SDK client. Every method call, sync or async, is counted
// and timed with `operation` = the method name. Methods run with `this` = the real client (so
// `#private` fields work), their errors are re-thrown as the same object, and anything that is not
// a method passes through untouched.
import { applyClassify, declaredCodes, verdictForError, verdictForResult, type Verdict } from './outcome.js';
import { partnerSeries, type PartnerSeries } from './partner.js';
import type { Classify, ClientOptions } from './types.js';

const METHOD_NAME = /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/;

class ClientRecorder {
  constructor(
    readonly partner: PartnerSeries,
    readonly classify: Classify | undefined,
    readonly allowed: ReadonlySet<string>,
  ) {}

  settle(operation: string, threw: boolean, value: unknown, start: number): void {
    const seconds = (performance.now() - start) / 1000;
    // Looked up per call (a Map hit) so calls past the operation cap count as overflow each time.
    const series = this.partner.operation(operation);
    let verdict: Verdict = threw ? verdictForError(value) : verdictForResult(value);
    if (this.classify) {
      verdict = applyClassify(this.classify, this.allowed, value, { partner: this.partner.partner, operation: series.operation, threw }, verdict);
    }
    series.record(verdict, seconds);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

function isClass(fn: Function): boolean {
  return /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

function wrapMethod(method: (...args: unknown[]) => unknown, target: object, operation: string, recorder: ClientRecorder) {
  return function instrumentedMethod(...args: unknown[]): unknown {
    const start = performance.now();
    let result: unknown;
    try {
      result = Reflect.apply(method, target, args);
    } catch (error) {
      recorder.settle(operation, true, error, start);
      throw error;
    }
    if (!isThenable(result)) {
      recorder.settle(operation, false, result, start);
      return result;
    }
    return Promise.resolve(result).then(
      (value) => {
        recorder.settle(operation, false, value, start);
        return value;
      },
      (error: unknown) => {
        recorder.settle(operation, true, error, start);
        throw error;
      },
    );
  };
}

/** Wraps a client object; returns a Proxy with the same type. */
export function instrumentClient<T extends object>(client: T, options: ClientOptions): T {
  if (client === null || (typeof client !== 'object' && typeof client !== 'function')) {
    throw new TypeError('instrumentClient: the first argument must be an object (the partner client)');
  }
  const recorder = new ClientRecorder(partnerSeries(options.partner, options.maxOperations), options.classify, declaredCodes(options.errorCodes));
  const only = options.operations ? new Set(options.operations) : undefined;
  // One wrapper per method, built on first access: the hot path allocates no closure per call
  // except the two promise callbacks of async methods.
  const wrappers = new Map<PropertyKey, { original: unknown; wrapper: unknown }>();

  return new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function' || property === 'constructor') return value;
      const cached = wrappers.get(property);
      if (cached && cached.original === value) return cached.wrapper;
      // A class stored on the client (`client.Errors.NotFound`, `client.Patient`) is not a method: left as is.
      if (isClass(value)) {
        wrappers.set(property, { original: value, wrapper: value });
        return value;
      }
      const counted = typeof property === 'string' && (only ? only.has(property) : METHOD_NAME.test(property));
      // Methods we do not count are still bound to the real client: called on the Proxy,
      // a method touching a #private field would throw.
      const wrapper = counted
        ? wrapMethod(value as (...args: unknown[]) => unknown, target, property, recorder)
        : (value as (...args: unknown[]) => unknown).bind(target);
      wrappers.set(property, { original: value, wrapper });
      return wrapper;
    },
  });
}
