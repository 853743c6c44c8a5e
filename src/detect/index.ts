export type * from './types.js';
export type { Labels, Sample, SampleBatch, Severity, AlertLifecycleState, TransitionState, AlertEvent } from '../model/index.js';
export { initialState, step, createDetector, activeAlerts } from './detector.js';
export type { Detector, ActiveAlertView } from './detector.js';
export { advanceAlert } from './lifecycle.js';
export type { ActiveAlert, Advance } from './lifecycle.js';
export { poissonCdf, poissonSurvival, robustBand } from '../model/index.js';
