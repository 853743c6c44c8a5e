// The drop-in shim: everything a service needs to instrument its partner calls, queries and queues.
export { startTelemetry } from './telemetry/start-telemetry.js';
export { resetShimRegistry } from './registry.js';
export { instrumentFetch } from './fetch.js';
export { instrumentClient } from './client.js';
export { instrumentQuery } from './query.js';
export { instrumentQueue, trackQueue, NonRetryableError, isRetryable } from './queue.js';
export type { InstrumentedQueue, QueueOptions, QueueTracker, TrackedEvent } from './queue.js';
export { trackBrokerQueue } from './broker-queue.js';
export type { BrokerQueueOptions, BrokerQueueTracker, BrokerReading } from './broker-queue.js';
export { METRIC, OUTCOMES, QUEUE_OUTCOMES, REQUEST_BUCKETS, DB_BUCKETS } from './types.js';
export type {
  Classification, Classify, ClassifyContext, ClientOptions, FetchOptions, Outcome, PartnerOptions,
  QueryClassify, QueryClassifyContext, QueryOptions, QueueOutcome, Telemetry, TelemetryOptions,
} from './types.js';
