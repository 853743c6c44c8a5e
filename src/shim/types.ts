// The shim's contract: metric names as Prometheus scrapes them, the label values they may carry,
// and the options of each instrument* function. The rule pack, dashboards and users' PromQL all
// depend on the metric names, spelled out once in model/metrics.ts (imported from that file alone:
// model/index.js would also load the statistics helpers).

/** Scraped metric names, from the shared contract (`model/metrics.ts`). */
export { METRIC } from '../model/metrics.js';

/** The instrumentation scope every shim instrument is created under. */
export const SCOPE_NAME = 'integration-sentinel';

export const OUTCOMES = ['success', 'client_error', 'server_error', 'auth_error', 'timeout', 'network_error'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const QUEUE_OUTCOMES = ['enqueued', 'processed', 'retried', 'failed'] as const;
export type QueueOutcome = (typeof QUEUE_OUTCOMES)[number];

/** The label value used whenever a value would be unbounded or unknown. */
export const OTHER = 'other';

/** Request latency buckets (seconds): fine below 100 ms where partner APIs live, and tight around
 * 30 s where most HTTP clients and load balancers time out, so "slow" and "timing out" separate. */
export const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 20, 25, 30, 35, 60, 120];
/** DB latency buckets (seconds): from sub-millisecond index hits to statement timeouts near 30 s. */
export const DB_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 25, 30, 35, 60];

/** What a classify hook may answer. Anything else is ignored; see `errorCodes`. */
export interface Classification {
  outcome?: Outcome;
  /** A partner's own code, e.g. `token_expired`. Kept only if it is in the declared `errorCodes`
   * (or is a 3-digit HTTP status) and matches /^[a-z][a-z0-9_]{0,39}$/; otherwise it becomes `other`. */
  errorCode?: string;
}

export interface ClassifyContext {
  partner: string;
  operation: string;
  /** True when the call threw/rejected (value is the error), false when it returned (value is the
   * Response or the method's result). */
  threw: boolean;
}

/** Maps a response or error to an outcome and a bounded error code. Must not copy bodies, headers
 * or messages: answers outside the declared set are replaced by `other`. Exceptions are swallowed. */
export type Classify = (value: unknown, context: ClassifyContext) => Classification | undefined | void;

export interface PartnerOptions {
  /** Partner name, the `partner` label: /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/. */
  partner: string;
  classify?: Classify;
  /** The bounded set of partner error codes `classify` may answer. */
  errorCodes?: readonly string[];
  /** Distinct operations kept per partner before new ones become `other` (default 200). */
  maxOperations?: number;
}

export interface FetchOptions extends PartnerOptions {
  /** Route patterns such as `/patients/:id`. When given, a path matching none is `other`. */
  routes?: readonly string[];
  /** Extra path words to keep literal in automatic templating (e.g. `['widgets']`). */
  staticSegments?: readonly string[];
}

export interface ClientOptions extends PartnerOptions {
  /** Method names to instrument, each its own operation (`call` for the client called as a
   * function); others pass through untouched. Default: every method, and HTTP calls that name a URL
   * or path are `METHOD /templated/route` as for fetch. */
  operations?: readonly string[];
  /** As for instrumentFetch: route patterns for calls that name a URL or path. */
  routes?: readonly string[];
  /** As for instrumentFetch: extra path words kept literal in automatic templating. */
  staticSegments?: readonly string[];
}

export interface QueryClassifyContext {
  query: string;
  system: string;
  /** True when the query threw/rejected (value is the error), false when it returned. */
  threw: boolean;
}

/** Maps a query's result or error to its `error.type`: `{ outcome: 'success' }` counts it as a
 * success, `{ outcome: 'timeout' }` as `timeout`, `{ errorCode }` as that code if it is declared in
 * `errorCodes` (or shaped like an SQLSTATE), else `other`. Undefined keeps the default. */
export type QueryClassify = (value: unknown, context: QueryClassifyContext) => Classification | undefined | void;

export interface QueryOptions {
  /** `db.system.name`, e.g. `postgresql` (default `other_sql`). */
  system?: string;
  classify?: QueryClassify;
  /** The bounded set of codes `classify` may answer. */
  errorCodes?: readonly string[];
}

export interface TelemetryOptions {
  /** Port of the /metrics server (default 9464; 0 picks a free one). */
  port?: number;
  /** Interface to listen on (default 127.0.0.1; use 0.0.0.0 in a container). */
  host?: string;
  /** `service.name` of the resource, shown on `target_info`. */
  serviceName: string;
  /** Record on the global MeterProvider of an OTel SDK the service already runs (its own readers
   * export our metrics) instead of starting our own provider and /metrics server. */
  useGlobalMeterProvider?: boolean;
}

export interface Telemetry {
  /** URL of /metrics, or undefined with useGlobalMeterProvider. */
  readonly url: string | undefined;
  readonly port: number | undefined;
  /** The meter the shim records on, for a service's own extra instruments. */
  readonly meter: import('@opentelemetry/api').Meter;
  shutdown(): Promise<void>;
}
