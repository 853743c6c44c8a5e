// The backtest's HTML report. See types.ts for what a driver hands over.
export { renderReport, escapeHtml } from './render.js';
export type { ReportInput, ReportAlert, ReportPoint, ReportSeries, ReportCoverage, ReportUnit } from './types.js';
export { humanDuration, humanValue, isoTime } from './format.js';
