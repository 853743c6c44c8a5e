// The escalation policy, apart from the escalator that follows it: types, schema, loading, matchers and
// the route walk. Read by escalate/, service/ and compile/alertmanager/.
export type * from './types.js';
export { escalationSchema, contactsFileSchema, policyFileSchema, matcherSchema, DEFAULT_GROUP_BY, DEFAULT_RENDER_LABELS } from './schema.js';
export type { RawContacts, RawEscalation, RawRoute } from './schema.js';
export { loadPolicyFile, policyFromRaw, buildPolicy, ROUTE_DEFAULTS } from './load.js';
export { MatcherError, parseMatcher, toMatchers, matches, formatMatcher } from './matchers.js';
export { matchRoutes, findReceiver, type MatchedRoute } from './routes.js';
