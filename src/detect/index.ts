export type * from './types.js';
export { openDetector } from './detector.js';
export type { Detector, DetectorOptions, ActiveAlertView, Measure } from './detector.js';
export { advanceAlert } from './lifecycle.js';
export type { ActiveAlert, Advance, AlertVerdict, AlertTiming } from './lifecycle.js';
export { poissonCdf, poissonSurvival, robustBand } from '../model/index.js';
