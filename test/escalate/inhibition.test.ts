import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../src/model/index.js';
import { drive, escalatorFor, recorder, useLocalReceivers } from './support/harness.js';
import { event, MINUTE, T0 } from './support/incident.js';

const local = useLocalReceivers({
  groupBy: '[rule, partner, zone]',
  extra: [
    '  inhibit_rules:',
    '    - source_matchers: [\'rule="routing_flows_unhealthy"\']',
    '      target_matchers: [\'rule="partner_timeouts"\']',
    '      equal: [zone]',
  ].join('\n'),
});

function at(minute: number, e: AlertEvent[]): [number, AlertEvent[]] {
  return [minute, e];
}

describe('inhibition', () => {
  it('holds back partner timeout alerts from a zone whose routing flows are unhealthy, but not from other zones', async () => {
    const escalator = await escalatorFor(local.policyFile);
    const rec = recorder(local.slack, local.smtp);
    const zoneA = { zone: 'us-east-1a' };
    const since = T0;
    const incident = new Map<number, AlertEvent[]>([
      at(2, [event('routing_flows_unhealthy', zoneA, 'firing', T0 + 2 * MINUTE, since)]),
      at(3, [
        event('partner_timeouts', { partner: 'elation', ...zoneA }, 'firing', T0 + 3 * MINUTE, since),
        event('partner_timeouts', { partner: 'elation', zone: 'us-east-1b' }, 'firing', T0 + 3 * MINUTE, since),
      ]),
    ]);
    await drive(rec, (e, t) => escalator.handle(e, t), incident, 0, 10);
    await escalator.close();
    const posted = local.slack.topLevel().map((m) => m.text);
    expect(posted).toHaveLength(2);
    expect(posted.some((t) => t.includes('[FIRING] Routing flows unhealthy in zone us-east-1a since'))).toBe(true);
    const timeouts = local.slack.topLevel().filter((m) => m.text.includes('[FIRING] Elation Health: timeouts in zone us-east-1b since'));
    expect(timeouts).toHaveLength(1);
    expect(JSON.stringify(timeouts[0]!.blocks)).toContain('zone=us-east-1b');
    expect(JSON.stringify(timeouts[0]!.blocks)).not.toContain('zone=us-east-1a');
  });
});
