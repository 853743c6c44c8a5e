// instrumentClient: a Proxy over a partner SDK client, or over a callable client (axios, got, ky
// instances called as functions). Every call is counted and timed to its real end (call-end.ts) and
// hands back exactly what the method returned. `operation` is `METHOD /templated/route` when the
// call names a URL or path (axios/got/ky/undici verbs, `request({ url })`, `api(url)`), as for fetch,
// else the method name; with `operations` given, always the method name. Methods run with
// `this` = the real client (so `#private` fields work), their errors are re-thrown as the same
// object, and anything that is not a method passes through untouched.
import { callTimed, type CallSink } from './call-end.js';
import { httpCallOf, httpSeries } from './http-operation.js';
import { applyClassify, declaredCodes, verdictForError, verdictForResult, type Verdict } from './outcome.js';
import { partnerSeries, type OperationSeries, type PartnerSeries } from './partner.js';
import { RouteTemplater } from './route.js';
import type { Classify, ClientOptions } from './types.js';

const METHOD_NAME = /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/;
/** Event-emitter methods take listeners, not callbacks: those are never wrapped (`off` needs the
 * same function back). */
const LISTENER_METHODS: ReadonlySet<string> = new Set([
  'on', 'once', 'off', 'addListener', 'removeListener', 'prependListener', 'prependOnceListener', 'removeAllListeners', 'emit', 'listeners',
]);

class ClientRecorder implements CallSink<OperationSeries> {
  constructor(
    readonly partner: PartnerSeries,
    readonly templater: RouteTemplater<OperationSeries> | undefined,
    readonly classify: Classify | undefined,
    readonly allowed: ReadonlySet<string>,
  ) {}

  /** The series of one call: looked up per call (a Map hit) so calls past the operation cap count
   * as overflow each time. */
  seriesOf(name: string | undefined, args: readonly unknown[]): OperationSeries {
    if (this.templater) {
      const http = httpCallOf(name, args);
      if (http) return httpSeries(this.partner, this.templater, http.method, http.url);
    }
    return this.partner.operation(name ?? 'call');
  }

  /** A call is over (the CallSink of call-end.ts). */
  settle(series: OperationSeries, threw: boolean, value: unknown, start: number): void {
    const seconds = (performance.now() - start) / 1000;
    let verdict: Verdict = threw ? verdictForError(value) : verdictForResult(value);
    if (this.classify) {
      verdict = applyClassify(this.classify, this.allowed, value, { partner: this.partner.partner, operation: series.operation, threw }, verdict);
    }
    series.record(verdict, seconds);
  }
}

function isClass(fn: Function): boolean {
  return /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

function timed(recorder: ClientRecorder, name: string | undefined, method: Function, target: unknown, args: unknown[]): unknown {
  let series: OperationSeries;
  try {
    series = recorder.seriesOf(name, args);
  } catch {
    return Reflect.apply(method, target, args); // never let labelling break a call
  }
  const start = performance.now();
  const callbacks = name !== undefined && !LISTENER_METHODS.has(name);
  return callTimed(method, target, args, callbacks, recorder, series, start);
}

/** Wraps a client object or callable client; returns a Proxy with the same type. */
export function instrumentClient<T extends object>(client: T, options: ClientOptions): T {
  if (client === null || (typeof client !== 'object' && typeof client !== 'function')) {
    throw new TypeError('instrumentClient: the first argument must be an object (the partner client)');
  }
  const only = options.operations ? new Set(options.operations) : undefined;
  const templater = only ? undefined : new RouteTemplater<OperationSeries>(options.routes, options.staticSegments);
  const recorder = new ClientRecorder(partnerSeries(options.partner, options.maxOperations), templater, options.classify, declaredCodes(options.errorCodes));
  // One wrapper per method, built on first access: the hot path allocates no wrapper per call.
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
      // a method touching a #private field would throw. A method with properties of its own
      // (got.paginate.all) keeps them: the wrapper is a Proxy of the method, only its call is timed.
      let wrapper: unknown;
      if (!counted) wrapper = (value as (...args: unknown[]) => unknown).bind(target);
      else if (Object.keys(value).length > 0) wrapper = new Proxy(value, { apply: (method, _this, args) => timed(recorder, property, method, target, args) });
      else wrapper = function instrumentedMethod(...args: unknown[]): unknown { return timed(recorder, property, value, target, args); };
      wrappers.set(property, { original: value, wrapper });
      return wrapper;
    },
    // A callable client (`api({ url })`, `got(url)`, `ky(url)`) is counted as a call too.
    apply(target, thisArg, args) {
      if (only && !only.has('call')) return Reflect.apply(target as Function, thisArg, args);
      return timed(recorder, undefined, target as Function, thisArg, args);
    },
  });
}
