export type * from './types.js';
export { RULE_KINDS } from './types.js';
export { loadRules } from './load.js';
export { ruleSchema, ruleFileSchema } from './schema.js';
export { renderSummary } from './template.js';
