// Public API of integration-sentinel. Each part of the system re-exports its user-facing surface here.
export type { Labels, Sample, SampleBatch, AlertEvent, Severity, TransitionState, DetectorState } from './detect/types.js';
export * from './shim/index.js';
export * from './rules/index.js';
export * from './detect/index.js';
