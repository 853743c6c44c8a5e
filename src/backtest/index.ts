export type * from './types.js';
export { runBacktest } from './run.js';
export { IncidentLog, incidentTable } from './incidents.js';
export { BacktestCadence, BACKTEST_EVALUATION_INTERVAL_MS } from './cadence.js';
