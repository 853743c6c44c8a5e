// The route tree. Alertmanager has no escalation steps, so a route with `steps` becomes, inside it:
// its own child routes first (a matching child still takes the alert, as in the policy), then one
// `continue: true` route per step whose group_wait is the step's `after` (its receiver hears of a group
// only if it is still firing then: Alertmanager never sends a group whose alerts all resolved before
// its first flush), then a catch-all route to the route's own receiver (the page at once).
import type { EscalationPolicy, Route } from '../../policy/types.js';
import { formatDuration } from '../../config/index.js';
import { scaleMs } from '../scale.js';
import type { FidelityNote } from '../types.js';
import { matchersText } from './matchers.js';
import { mailsPartnerContacts, partnerReceiverName } from './receivers.js';
import type { AmRoute } from './types.js';

interface Context {
  readonly policy: EscalationPolicy;
  readonly timeScale?: number;
  readonly notes: FidelityNote[];
}

function timers(route: Route, ctx: Context, groupWaitMs = route.groupWaitMs): Pick<AmRoute, 'group_by' | 'group_wait' | 'group_interval' | 'repeat_interval'> {
  const d = (ms: number) => formatDuration(scaleMs(ms, ctx.timeScale));
  return {
    group_by: [...route.groupBy],
    group_wait: d(groupWaitMs),
    group_interval: d(route.groupIntervalMs),
    repeat_interval: d(route.repeatIntervalMs),
  };
}

/** Per-partner children sending to the partner's own copy of a receiver that mails partner contacts. */
function partnerRoutes(receiver: string, ctx: Context): AmRoute[] {
  const r = ctx.policy.receivers.find((x) => x.name === receiver);
  if (!r || !mailsPartnerContacts(r)) return [];
  return Object.keys(ctx.policy.partners)
    .sort()
    .map((partner) => ({ receiver: partnerReceiverName(receiver, partner), matchers: [`partner=${JSON.stringify(partner)}`] }));
}

function withRoutes(route: AmRoute, routes: AmRoute[]): AmRoute {
  return routes.length > 0 ? { ...route, routes } : route;
}

export function amRoute(route: Route, ctx: Context, path = 'route', isRoot = true): AmRoute {
  const children = route.routes.map((child, i) => amRoute(child, ctx, `${path}.routes[${i}]`, false));
  const head: AmRoute = {
    receiver: route.receiver,
    ...(isRoot || route.matchers.length === 0 ? {} : { matchers: matchersText(route.matchers) }),
    ...timers(route, ctx),
    ...(route.continue && !isRoot ? { continue: true } : {}),
  };
  if (route.steps.length === 0) return withRoutes(head, [...children, ...partnerRoutes(route.receiver, ctx)]);

  const steps = route.steps.map((step, i): AmRoute => {
    ctx.notes.push({
      subject: `${path} step ${i + 1} (after ${formatDuration(step.afterMs)} -> ${step.receiver})`,
      fidelity: 'approximate',
      reason:
        'compiled as a continue:true route with group_wait = after: the receiver hears of a group only if it is still firing then, and gets its updates and resolved notice after; ' +
        'Alertmanager has no acknowledgement, so acknowledging does not stop the step (a silence does, but it also mutes the first receiver), and the step timer starts when the group is created',
    });
    return withRoutes({ receiver: step.receiver, ...timers(route, ctx, step.afterMs), continue: true }, partnerRoutes(step.receiver, ctx));
  });
  const pageNow = withRoutes({ receiver: route.receiver, ...timers(route, ctx) }, partnerRoutes(route.receiver, ctx));
  return { ...head, routes: [...children, ...steps, pageNow] };
}
