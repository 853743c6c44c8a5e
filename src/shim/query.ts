// instrumentQuery: the same function, timed as the OTel semantic convention
// db.client.operation.duration (scraped as db_client_operation_duration_seconds), with
// `error.type` only on failure: `timeout`, or the error's class name. Never the SQL, never a message.
import type { HistogramSeries } from './histogram.js';
import { ensureBound } from './instruments.js';
import { errorClassName, verdictForError } from './outcome.js';
import { checkName } from './partner.js';
import { registry, slot, slotKey } from './registry.js';
import type { QueryOptions } from './types.js';

const SYSTEM = /^[a-z][a-z0-9_.]{0,31}$/;

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

  failed(error: unknown): HistogramSeries {
    const errorType = verdictForError(error).outcome === 'timeout' ? 'timeout' : errorClassName(error);
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

/** Wraps a query function (sync or async); `this` and arguments are forwarded as they are. */
export function instrumentQuery<F extends (...args: any[]) => any>(name: string, fn: F, options: QueryOptions = {}): F {
  checkName('query', name);
  if (typeof fn !== 'function') throw new TypeError(`instrumentQuery("${name}"): the second argument must be the query function`);
  const system = options.system ?? 'other_sql';
  if (!SYSTEM.test(system)) throw new TypeError(`instrumentQuery("${name}"): system "${system}" must be a db.system.name such as "postgresql"`);
  const key = system + ' ' + name;
  const queries = slot(QUERIES);
  let series = queries.get(key);
  if (!series) queries.set(key, (series = new QuerySeries(name, system)));

  const instrumented = function (this: unknown, ...args: unknown[]): unknown {
    const start = performance.now();
    let result: unknown;
    try {
      result = Reflect.apply(fn, this, args);
    } catch (error) {
      series.failed(error).record((performance.now() - start) / 1000);
      throw error;
    }
    if (result === null || (typeof result !== 'object' && typeof result !== 'function') || typeof (result as PromiseLike<unknown>).then !== 'function') {
      series.success.record((performance.now() - start) / 1000);
      return result;
    }
    return Promise.resolve(result).then(
      (value) => {
        series.success.record((performance.now() - start) / 1000);
        return value;
      },
      (error: unknown) => {
        series.failed(error).record((performance.now() - start) / 1000);
        throw error;
      },
    );
  };
  Object.defineProperty(instrumented, 'name', { value: fn.name });
  return instrumented as F;
}
