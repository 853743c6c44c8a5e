// Alertmanager's route tree walk: which routes (and so which receivers) an alert's labels reach.
import type { Labels } from '../model/index.js';
import { matches } from './matchers.js';
import type { EscalationPolicy, Receiver, Route } from './types.js';

/** A route matched for an alert, with its path in the tree (`0.2.1`) as a stable identity across reloads
 *  of an unchanged tree. */
export interface MatchedRoute {
  readonly route: Route;
  readonly path: string;
}

/** Alertmanager's Route.Match: the deepest matching routes; `continue` lets siblings match too. */
export function matchRoutes(route: Route, labels: Labels, path = '0'): MatchedRoute[] {
  if (!matches(route.matchers, labels)) return [];
  const found: MatchedRoute[] = [];
  for (let i = 0; i < route.routes.length; i++) {
    const child = route.routes[i]!;
    const matched = matchRoutes(child, labels, `${path}.${i}`);
    found.push(...matched);
    if (matched.length > 0 && !child.continue) break;
  }
  return found.length > 0 ? found : [{ route, path }];
}

export function findReceiver(policy: EscalationPolicy, name: string): Receiver | undefined {
  return policy.receivers.find((r) => r.name === name);
}
