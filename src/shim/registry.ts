// The shim's one shared state: every series, gauge source and the meter binding, in one object kept
// on globalThis under a Symbol.for key, as @opentelemetry/api keeps its global. Two copies of the
// shim in one process (a bundled copy beside node_modules, dist beside src) then count into the same
// series instead of exporting the same series twice. The key carries the layout version: a copy
// with another layout keeps its own registry rather than misreading this one.
import type { Attributes, Meter } from '@opentelemetry/api';
import { HistogramFamily } from './histogram.js';
import { DB_BUCKETS, METRIC, REQUEST_BUCKETS } from './types.js';

/** One counter series: its label set and its running count. */
export interface CountSeries {
  readonly attrs: Attributes;
  count: number;
}

/** A queue's pending count and oldest pending age, read at each collection: from this process
 * (trackQueue) or from the broker itself (trackBrokerQueue, asynchronously). */
export interface QueueReading {
  pending: number;
  oldestAgeSeconds: number;
}
export interface GaugeSource {
  readonly attrs: Attributes;
  read(): QueueReading | Promise<QueueReading>;
}

/** The observable instruments of one meter, and how to take their callbacks off again. */
export interface Binding {
  readonly meter: Meter;
  /** The MeterProvider the meter came from, when known. */
  readonly provider: object | undefined;
  /** Bound to the global provider (so rebound when a new global one is registered). */
  readonly global: boolean;
  /** The global provider is the API's no-op one: nothing recorded now is exported. */
  readonly noop: boolean;
  detach(): void;
}

export interface ShimRegistry {
  readonly requestSeries: CountSeries[];
  readonly queueSeries: CountSeries[];
  readonly overflowSeries: CountSeries[];
  /** Keyed by queue name: a queue re-created under the same name replaces the old reading. */
  readonly gauges: Map<string, GaugeSource>;
  /** The series each kind of wrapper shares by name (partners, queries, queues), one slot per
   * kind: see `slot`. */
  readonly slots: Map<string, unknown>;
  readonly requestDurations: HistogramFamily;
  readonly dbDurations: HistogramFamily;
  /** The meter our observable instruments are registered on, once bound. */
  binding: Binding | undefined;
}

const KEY = Symbol.for('integration-sentinel.shim.registry.v1');
type Holder = { [KEY]?: ShimRegistry };

function newRegistry(): ShimRegistry {
  return {
    requestSeries: [],
    queueSeries: [],
    overflowSeries: [],
    gauges: new Map(),
    slots: new Map(),
    requestDurations: new HistogramFamily('request', METRIC.requestDuration, 'Latency of partner calls until the response (or error) arrived.', REQUEST_BUCKETS),
    dbDurations: new HistogramFamily('db', METRIC.dbDuration, 'Duration of database client operations (OTel semantic convention db.client.operation.duration).', DB_BUCKETS),
    binding: undefined,
  };
}

/** The process-wide registry, created on first use. */
export function registry(): ShimRegistry {
  const holder = globalThis as Holder;
  return (holder[KEY] ??= newRegistry());
}

/** A slot of the registry and how to fill it, declared by the module that owns its contents (as
 * OpenTelemetry's createContextKey), so this file needs no import of theirs. */
export interface SlotKey<T> {
  readonly name: string;
  readonly create: () => T;
}

export function slotKey<T>(name: string, create: () => T): SlotKey<T> {
  return { name, create };
}

/** The registry's value for `key`, created on first use. Looked up at wrap time, not per call. */
export function slot<T>(key: SlotKey<T>): T {
  const { slots } = registry();
  let value = slots.get(key.name) as T | undefined;
  if (value === undefined) slots.set(key.name, (value = key.create()));
  return value;
}

/**
 * For tests: forgets every series, partner, query and queue recorded so far, so a test can reuse a
 * partner or queue name and start from zero. Build wrappers again after it (those built before count
 * into series no longer exported), and start telemetry again: the SDK behind a running exporter
 * keeps reporting the cumulative series it has already seen. The meter binding itself stays.
 */
export function resetShimRegistry(): void {
  const r = registry();
  r.requestSeries.length = 0;
  r.queueSeries.length = 0;
  r.overflowSeries.length = 0;
  r.gauges.clear();
  r.slots.clear();
  r.requestDurations.series.length = 0;
  r.dbDurations.series.length = 0;
}
