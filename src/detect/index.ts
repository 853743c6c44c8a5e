export type * from './types.js';
export { initialState, step, createDetector, activeAlerts } from './detector.js';
export type { Detector, ActiveAlertView } from './detector.js';
export { advanceAlert } from './lifecycle.js';
export type { ActiveAlert, Advance } from './lifecycle.js';
export { poissonCdf, poissonSurvival, robustBand } from './stats.js';
