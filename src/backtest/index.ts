export type * from './types.js';
export { runBacktest } from './run.js';
export { IncidentLog, incidentTable } from './incidents.js';
