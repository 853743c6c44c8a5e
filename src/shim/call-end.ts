// When is a call over? For a promise, when it settles; for a Node-style callback, when the callback
// is called; for a stream (got.stream), when it closes. The caller gets back what the function
// returned: a plain promise as a promise settling the same way (so an unhandled rejection stays
// unhandled), a promise subclass itself, keeping its own methods (got's and ky's `.json()`, got's `.cancel()`),
// and a thenable that is not a promise (a query builder) is only observed when the caller awaits it,
// so it runs when and as often as it would without the shim. An async iterator (got.paginate) is
// handed back untimed and uncounted: it has no single end to time.

/** Called once per call, when it is over: `threw` with the error, else with the result. */
export type Settle = (threw: boolean, value: unknown) => void;

/** Where a call's end is reported; `series` and `start` ride along so the common case (a plain
 * value or a promise) allocates no closure of its own per call. */
export interface CallSink<S> {
  settle(series: S, threw: boolean, value: unknown, start: number): void;
}

const isObjectLike = (v: unknown): v is Record<PropertyKey, unknown> =>
  v !== null && (typeof v === 'object' || typeof v === 'function');

const isThenable = (v: unknown): v is PromiseLike<unknown> => isObjectLike(v) && typeof v.then === 'function';

function isStream(v: unknown): v is NodeJS.EventEmitter & { errored?: unknown } {
  return isObjectLike(v) && typeof v.pipe === 'function' && typeof v.once === 'function';
}

/** Runs `fn` and reports its end to `sink` once; returns (or throws) what `fn` did.
 * `callbacks`: a function as the last argument may be a Node-style callback, timed to its call. */
export function callTimed<S>(fn: Function, thisArg: unknown, args: unknown[], callbacks: boolean, sink: CallSink<S>, series: S, start: number): unknown {
  const last = args.length - 1;
  if (callbacks && last >= 0 && typeof args[last] === 'function') return callWithCallback(fn, thisArg, args, (threw, value) => sink.settle(series, threw, value, start));
  // The hot path: no closure unless the result is a promise.
  let result: unknown;
  try {
    result = Reflect.apply(fn, thisArg, args);
  } catch (error) {
    sink.settle(series, true, error, start);
    throw error;
  }
  if (result instanceof Promise) return handBack(result, (threw, value) => sink.settle(series, threw, value, start));
  if (!isObjectLike(result)) {
    sink.settle(series, false, result, start);
    return result;
  }
  return observeResult(result, onceOf((threw, value) => sink.settle(series, threw, value, start)));
}

/**
 * What the caller gets for a promise, reported to `settle` when it settles. A plain one: a new promise
 * that settles the same way once the call is counted, so a rejection the caller never handles is still
 * unhandled (a handler on the side would mark it handled and silence it). A subclass (got's) or a
 * promise with methods of its own (ky's): itself, to keep its own methods, observed on the side (there
 * an unhandled rejection is silenced: no way to keep both).
 */
function handBack(result: Promise<unknown>, settle: Settle): Promise<unknown> {
  // Plain: no subclass, and no methods of its own (ky adds `.json()` and others to a plain Promise).
  if (Object.getPrototypeOf(result) === Promise.prototype && Reflect.ownKeys(result).length === 0) {
    return result.then((value) => { settle(false, value); return value; }, (error: unknown) => { settle(true, error); throw error; });
  }
  result.then((value) => settle(false, value), (error: unknown) => settle(true, error));
  return result;
}

function onceOf(settle: Settle): Settle {
  let done = false;
  return (threw, value) => {
    if (done) return;
    done = true;
    settle(threw, value);
  };
}

/** A result that is an object: a thenable or a stream is timed to its end, an async iterator is
 * left uncounted, anything else is over now. */
function observeResult(result: Record<PropertyKey, unknown>, once: Settle): unknown {
  if (result instanceof Promise) return handBack(result, once);
  if (isThenable(result)) return observeWhenAwaited(result, once);
  if (isStream(result)) {
    let response: unknown;
    result.once('response', (r: unknown) => { response = r; });
    // 'end' when read to the end (got's stream emits no 'close' then); 'close' after a destroy,
    // with the error in `errored`. No 'error' listener: one would stop an unhandled error crashing
    // the process as it would without the shim.
    result.once('end', () => once(false, response ?? result));
    result.once('close', () => (result.errored ? once(true, result.errored) : once(false, response ?? result)));
    return result;
  }
  if (typeof result[Symbol.asyncIterator] === 'function') return result;
  once(false, result);
  return result;
}

/** A function as last argument is only taken for a Node-style callback if the call returns neither
 * a promise nor a stream: `db.transaction(async (tx) => ...)` takes a function too, and is timed by
 * its promise. */
function callWithCallback(fn: Function, thisArg: unknown, args: unknown[], settle: Settle): unknown {
  const once = onceOf(settle);
  let returned = false;
  let viaCallback = true;
  let pending: [boolean, unknown] | undefined;
  const last = args.length - 1;
  const callback = args[last] as (...a: unknown[]) => unknown;
  args = args.slice();
  args[last] = function settledCallback(this: unknown, error: unknown, ...rest: unknown[]) {
    const outcome: [boolean, unknown] = [error !== null && error !== undefined, error ?? rest[0]];
    if (!returned) pending ??= outcome;
    else if (viaCallback) once(outcome[0], outcome[1]);
    return Reflect.apply(callback, this, [error, ...rest]);
  };
  let result: unknown;
  try {
    result = Reflect.apply(fn, thisArg, args);
  } catch (error) {
    once(true, error);
    throw error;
  } finally {
    returned = true;
  }
  if (isObjectLike(result) && (isThenable(result) || isStream(result))) {
    viaCallback = false;
    return observeResult(result, once);
  }
  if (pending) once(pending[0], pending[1]); // called back before it returned
  return result;
}

/** A thenable whose `then` reports to `settle` before the caller's handlers run; every other
 * property is the thenable's own. */
function observeWhenAwaited(thenable: PromiseLike<unknown>, settle: Settle): unknown {
  return new Proxy(thenable, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property !== 'then' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return (onFulfilled?: (v: unknown) => unknown, onRejected?: (e: unknown) => unknown) =>
        Reflect.apply(value, target, [
          (v: unknown) => { settle(false, v); return onFulfilled ? onFulfilled(v) : v; },
          (e: unknown) => { settle(true, e); if (onRejected) return onRejected(e); throw e; },
        ]);
    },
  });
}
