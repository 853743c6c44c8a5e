// instrumentQuery: the same function, timed as the OTel semantic convention
// db.client.operation.duration (scraped as db_client_operation_duration_seconds), with `error.type`
// only on failure, as the convention says: `timeout` for every kind of timeout (the server's
// statement_timeout, the driver's query_timeout, a pool that cannot hand out a connection), the
// SQLSTATE of a database error (23505, 42P01), the network code of a connection failure
// (ECONNREFUSED), else the error's class name. Never the SQL, never a message. A promise is timed
// to its end, a Node-style callback (`pool.query(sql, cb)`) to its call.
import { callTimed, type CallSink } from './call-end.js';
import { errorClassName, isTimeout, networkCode, sqlState } from './error-shape.js';
import type { HistogramSeries } from './histogram.js';
import { ensureBound } from './instruments.js';
import { boundedCode, declaredCodes } from './outcome.js';
import { checkName } from './partner.js';
import { registry, slot, slotKey } from './registry.js';
import { OTHER, type QueryClassify, type QueryOptions } from './types.js';

const SYSTEM = /^[a-z][a-z0-9_.]{0,31}$/;
const SQLSTATE_SHAPE = /^[0-9A-Z]{5}$/;

/** The default error.type of a failed query. */
export function queryErrorType(error: unknown): string {
  if (isTimeout(error)) return 'timeout';
  return sqlState(error) ?? networkCode(error) ?? errorClassName(error);
}

export class QuerySeries {
  readonly success: HistogramSeries;
  private readonly failures = new Map<string, HistogramSeries>();

  constructor(
    readonly name: string,
    readonly system: string,
  ) {
    ensureBound();
    this.success = registry().dbDurations.newSeries({ 'db.operation.name': name, 'db.system.name': system });
  }

  failed(errorType: string): HistogramSeries {
    let series = this.failures.get(errorType);
    if (!series) {
      series = registry().dbDurations.newSeries({ 'db.operation.name': this.name, 'db.system.name': this.system, 'error.type': errorType });
      this.failures.set(errorType, series);
    }
    return series;
  }
}

/** Per (system, name): wrapping the same query twice must not export the same series twice. */
const QUERIES = slotKey('queries', () => new Map<string, QuerySeries>());

/** A classify answer: `success` or `timeout` as such, else its errorCode if declared (or shaped
 * as an SQLSTATE), else `other`. Undefined keeps the default. */
function classified(classify: QueryClassify, allowed: ReadonlySet<string>, value: unknown, threw: boolean, name: string, system: string, fallback: string | undefined): string | undefined {
  let answer;
  try {
    answer = classify(value, { query: name, system, threw });
  } catch {
    return fallback; // a broken hook must never break the query
  }
  if (!answer || typeof answer !== 'object') return fallback;
  if (answer.outcome === 'success') return undefined;
  if (answer.outcome === 'timeout') return 'timeout';
  if (answer.errorCode === undefined) return fallback ?? (answer.outcome ? OTHER : undefined);
  const code = typeof answer.errorCode === 'string' && SQLSTATE_SHAPE.test(answer.errorCode) ? answer.errorCode : boundedCode(answer.errorCode, allowed);
  return code;
}

/** Wraps a query function (sync, async or callback-style); `this` and arguments are forwarded. */
export function instrumentQuery<F extends (...args: any[]) => any>(name: string, fn: F, options: QueryOptions = {}): F {
  checkName('query', name);
  if (typeof fn !== 'function') throw new TypeError(`instrumentQuery("${name}"): the second argument must be the query function`);
  const system = options.system ?? 'other_sql';
  if (!SYSTEM.test(system)) throw new TypeError(`instrumentQuery("${name}"): system "${system}" must be a db.system.name such as "postgresql"`);
  const classify = options.classify;
  const allowed = declaredCodes(options.errorCodes);
  const key = system + ' ' + name;
  const queries = slot(QUERIES);
  let series = queries.get(key);
  if (!series) queries.set(key, (series = new QuerySeries(name, system)));
  const s = series;

  const sink: CallSink<QuerySeries> = {
    settle(series, threw, value, start) {
      const seconds = (performance.now() - start) / 1000;
      let errorType = threw ? queryErrorType(value) : undefined;
      if (classify) errorType = classified(classify, allowed, value, threw, name, system, errorType);
      (errorType === undefined ? series.success : series.failed(errorType)).record(seconds);
    },
  };
  const instrumented = function (this: unknown, ...args: unknown[]): unknown {
    return callTimed(fn, this, args, true, sink, s, performance.now());
  };
  Object.defineProperty(instrumented, 'name', { value: fn.name });
  return instrumented as F;
}
