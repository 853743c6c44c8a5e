// When is a call over? For a promise, when it settles; for a Node-style callback, when the callback
// is called; for a stream (got.stream), when it closes. The caller gets back exactly what the function
// returned: a promise subclass keeps its own methods (got's and ky's `.json()`, got's `.cancel()`),
// and a thenable that is not a promise (a query builder) is only observed when the caller awaits it,
// so it runs when and as often as it would without the shim. An async iterator (got.paginate) is
// handed back untimed and uncounted: it has no single end to time.

/** Called once per call, when it is over: `threw` with the error, else with the result. */
export type Settle = (threw: boolean, value: unknown) => void;

const isObjectLike = (v: unknown): v is Record<PropertyKey, unknown> =>
  v !== null && (typeof v === 'object' || typeof v === 'function');

const isThenable = (v: unknown): v is PromiseLike<unknown> => isObjectLike(v) && typeof v.then === 'function';

function isStream(v: unknown): v is NodeJS.EventEmitter & { errored?: unknown } {
  return isObjectLike(v) && typeof v.pipe === 'function' && typeof v.once === 'function';
}

/** Runs `fn` and calls `settle` once when the call is over; returns (or throws) what `fn` did.
 * `callbacks`: a function as the last argument is a Node-style callback, timed to its call. */
export function callTimed(fn: Function, thisArg: unknown, args: unknown[], settle: Settle, callbacks: boolean): unknown {
  let done = false;
  const once: Settle = (threw, value) => {
    if (done) return;
    done = true;
    settle(threw, value);
  };
  // A function as last argument is only taken for a Node-style callback if the call returns no
  // promise: `db.transaction(async (tx) => ...)` takes a function too, and is timed by its promise.
  let viaCallback = false;
  let returned = false;
  let pending: [boolean, unknown] | undefined;
  const last = args.length - 1;
  if (callbacks && last >= 0 && typeof args[last] === 'function') {
    const callback = args[last] as (...a: unknown[]) => unknown;
    viaCallback = true;
    args = args.slice();
    args[last] = function settledCallback(this: unknown, error: unknown, ...rest: unknown[]) {
      const outcome: [boolean, unknown] = [error !== null && error !== undefined, error ?? rest[0]];
      if (!returned) pending ??= outcome;
      else if (viaCallback) once(outcome[0], outcome[1]);
      return Reflect.apply(callback, this, [error, ...rest]);
    };
  }
  let result: unknown;
  try {
    result = Reflect.apply(fn, thisArg, args);
  } catch (error) {
    once(true, error);
    throw error;
  } finally {
    returned = true;
  }
  if (viaCallback && (isThenable(result) || isStream(result))) viaCallback = false;
  if (result instanceof Promise) {
    // Observed on the side: the caller's own handlers, and its unhandled rejections, are as before.
    result.then((value) => once(false, value), (error: unknown) => once(true, error));
    return result;
  }
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
  if (viaCallback) {
    if (pending) once(pending[0], pending[1]); // called back before it returned
    return result;
  }
  if (isObjectLike(result) && typeof result[Symbol.asyncIterator] === 'function') return result;
  once(false, result);
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
