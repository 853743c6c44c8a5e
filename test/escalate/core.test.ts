import { describe, expect, it } from 'vitest';
import { onAck, onEvaluation, onTick } from '../../src/escalate/core.js';
import { markInterrupted } from '../../src/escalate/outbox.js';
import { emptyState, type OutboxEntry } from '../../src/escalate/state.js';
import type { AlertEvent } from '../../src/model/index.js';
import { buildPolicy } from '../../src/policy/index.js';

const NOW = Date.UTC(2026, 10, 20, 2, 30);
const policy = buildPolicy({ route: { receiver: 'oncall', group_wait: 30_000 }, receivers: [{ name: 'oncall', slack_configs: [{ channel: 'C1' }] }] } as Parameters<typeof buildPolicy>[0], { partners: {} });
const firing: AlertEvent = {
  id: 'error_code_shift{partner="elation"}', rule: 'error_code_shift', state: 'firing', severity: 'critical', labels: { partner: 'elation' },
  at: new Date(NOW).toISOString(), atMs: NOW, value: 0.4, summary: 'elation answers 403', activeSinceMs: NOW - 120_000,
};

describe('the escalation core', () => {
  it('is a function of (state, events, now): the same input gives the same outbox, and the input state is left as it was', () => {
    const start = emptyState();
    const before = JSON.stringify(start);
    const grouped = onEvaluation(start, policy, [firing], NOW);
    expect(JSON.stringify(start)).toBe(before);
    expect(grouped.outbox).toEqual([]); // group_wait has not passed
    const first = onTick(grouped.state, policy, NOW + 30_000);
    const again = onTick(grouped.state, policy, NOW + 30_000);
    expect(first.outbox).toHaveLength(1);
    expect(first.outbox[0]).toMatchObject({ integration: 'oncall/slack/0', receiver: 'oncall', nextAttemptAtMs: NOW + 30_000 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
  });

  it('answers an acknowledgement of an unknown group with a domain result, not a status code', () => {
    expect(onAck(emptyState(), policy, 'g-nope', 'dana', NOW).result).toEqual({ ok: false, reason: 'not_found' });
  });
});

describe('an e-mail cut short by a crash', () => {
  const mail = (id: string, extra: Partial<OutboxEntry>): OutboxEntry => ({
    id, integration: 'mail/email/0', receiver: 'mail', groupId: 'g1', createdAtMs: 0, attempts: 1, nextAttemptAtMs: 0, done: [], inFlightSinceMs: 5,
    payload: { kind: 'email', to: ['ops@elation.example'], subject: 's', text: 't', html: 'h', messageId: `<${id}@x>` }, ...extra,
  });
  it('counts as a possible delivery only when the end of DATA had been written down', () => {
    const state = emptyState();
    state.outbox.push(mail('before-data', {}), mail('after-data', { dataSentAtMs: 5 }));
    markInterrupted(state);
    expect(state.outbox.map((e) => [e.id, e.uncertain, e.unconfirmed ?? 0, e.inFlightSinceMs])).toEqual([
      ['before-data', true, 0, undefined],
      ['after-data', true, 1, undefined],
    ]);
  });
});
