import { describe, expect, it } from 'vitest';
import { afterFlush, ingestEvents } from '../../src/escalate/dispatch.js';
import { buildPolicy } from '../../src/policy/index.js';
import { parseMatcher } from '../../src/policy/matchers.js';
import { emptyState } from '../../src/escalate/state.js';
import { event, MINUTE, T0 } from './support/incident.js';

const policy = buildPolicy({
  route: {
    receiver: 'oncall', group_by: ['rule', 'partner'], group_wait: 30_000, group_interval: 300_000,
    routes: [
      { matchers: [parseMatcher('partner="elation"')], receiver: 'elation-team', continue: true },
      { matchers: [parseMatcher('severity="critical"')], receiver: 'critical' },
    ],
  },
  receivers: [{ name: 'oncall', slack_configs: [{ channel: 'C1' }] }, { name: 'elation-team', slack_configs: [{ channel: 'C2' }] }, { name: 'critical', slack_configs: [{ channel: 'C3' }] }],
} as never, { partners: {} });

const labels = (partner: string, operation: string) => ({ partner, operation });

describe('dispatching alerts into groups', () => {
  it('puts one partner\'s series into one group per matching route, with its own group_wait', () => {
    const state = emptyState();
    ingestEvents(state, policy, [
      event('shift', labels('elation', 'GET /a'), 'pending', T0, T0),
      event('shift', labels('elation', 'GET /a'), 'firing', T0, T0),
      event('shift', labels('elation', 'GET /b'), 'firing', T0, T0),
      event('shift', labels('quest', 'GET /a'), 'firing', T0, T0),
    ], T0);
    const groups = Object.values(state.groups);
    // elation matches its own route and (continue) the critical route; quest only the critical one.
    expect(groups.map((g) => [g.route.receiver, g.labels.partner, Object.keys(g.alerts).length])).toEqual([
      ['elation-team', 'elation', 2],
      ['critical', 'elation', 2],
      ['critical', 'quest', 1],
    ]);
    expect(groups.every((g) => g.nextFlushAtMs === T0 + 30_000)).toBe(true);
  });

  it('marks resolves, drops resolved alerts after a flush, and closes an empty group', () => {
    const state = emptyState();
    const a = event('shift', labels('quest', 'GET /a'), 'firing', T0, T0);
    ingestEvents(state, policy, [a], T0);
    const group = Object.values(state.groups)[0]!;
    ingestEvents(state, policy, [{ ...a, state: 'resolved' }], T0 + MINUTE);
    expect(group.alerts[a.id]!.resolvedAtMs).toBe(T0 + MINUTE);
    afterFlush(state, group, T0 + MINUTE);
    expect(state.groups[group.id]).toBeUndefined();
    // Firing again opens a new incident (a new group, a new Slack message).
    ingestEvents(state, policy, [a], T0 + 10 * MINUTE);
    expect(Object.values(state.groups).map((g) => g.id)).not.toContain(group.id);
  });

  it('keeps flushing every group_interval, resuming one interval from now after a gap', () => {
    const state = emptyState();
    ingestEvents(state, policy, [event('shift', labels('quest', 'GET /a'), 'firing', T0, T0)], T0);
    const group = Object.values(state.groups)[0]!;
    afterFlush(state, group, T0 + 30_000);
    expect(group.nextFlushAtMs).toBe(T0 + 330_000);
    afterFlush(state, group, T0 + 3_600_000);
    expect(group.nextFlushAtMs).toBe(T0 + 3_900_000);
  });
});
