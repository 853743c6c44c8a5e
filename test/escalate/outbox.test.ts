import { describe, expect, it } from 'vitest';
import { backoffMs, drainOutbox, markInterrupted, type DeliveryOutcome, type Sender } from '../../src/escalate/outbox.js';
import { emptyState, type OutboxEntry } from '../../src/escalate/state.js';
import type { ReceiverCounters } from '../../src/escalate/types.js';

function entry(id: string, integration = 'slack/slack/0', groupId = 'g1'): OutboxEntry {
  return { id, integration, receiver: integration.split('/')[0]!, groupId, createdAtMs: 0, payload: { kind: 'slack', channel: 'C1', text: id, blocks: [] }, attempts: 0, nextAttemptAtMs: 0, done: [] };
}

function scripted(outcomes: Record<string, DeliveryOutcome[]>, delivered: string[]): Sender {
  return {
    async deliver(e) {
      const next = outcomes[e.id]?.shift() ?? { ok: true };
      if (next.ok) delivered.push(e.id);
      return next;
    },
  };
}

async function drain(state: ReturnType<typeof emptyState>, sender: Sender, nowMs: number, counters: Record<string, ReceiverCounters> = {}) {
  let writes = 0;
  await drainOutbox({ state, nowMs, senderFor: () => sender, persist: async () => { writes++; }, counters, log: () => undefined });
  return writes;
}

describe('the outbox', () => {
  it('delivers one integration strictly in order: a failing head holds back the rest until it goes through', async () => {
    const state = emptyState();
    state.outbox.push(entry('n1'), entry('n2'), entry('m1', 'mail/email/0'));
    const delivered: string[] = [];
    const sender = scripted({ n1: [{ ok: false, error: 'HTTP 503' }] }, delivered);
    const counters: Record<string, ReceiverCounters> = {};
    await drain(state, sender, 1000, counters);
    expect(delivered).toEqual(['m1']); // another integration is not held back
    expect(state.outbox.map((e) => [e.id, e.attempts, e.nextAttemptAtMs])).toEqual([['n1', 1, 1000 + backoffMs(1)], ['n2', 0, 0]]);
    await drain(state, sender, 1000 + backoffMs(1) - 1, counters);
    expect(delivered).toEqual(['m1']);
    await drain(state, sender, 1000 + backoffMs(1), counters);
    expect(delivered).toEqual(['m1', 'n1', 'n2']);
    expect(counters.slack).toEqual({ sent: 2, failed: 1, pending: 0 });
  });

  it('writes every attempt down before making it', async () => {
    const state = emptyState();
    state.outbox.push(entry('n1'));
    const seen: (number | undefined)[] = [];
    const sender: Sender = { async deliver(e) { seen.push(e.inFlightSinceMs); return { ok: true }; } };
    const writes = await drain(state, sender, 5);
    expect(seen).toEqual([5]);
    expect(writes).toBeGreaterThanOrEqual(2);
  });

  it('drops what can never be delivered and counts it failed', async () => {
    const state = emptyState();
    state.outbox.push(entry('n1'), entry('n2'));
    const delivered: string[] = [];
    const counters: Record<string, ReceiverCounters> = {};
    await drain(state, scripted({ n1: [{ ok: false, error: 'channel_not_found', permanent: true }] }, delivered), 0, counters);
    expect(delivered).toEqual(['n2']);
    expect(counters.slack).toEqual({ sent: 1, failed: 1, pending: 0 });
  });

  it('marks attempts cut short by a crash as uncertain, so senders look before resending', () => {
    const state = emptyState();
    state.outbox.push({ ...entry('n1'), inFlightSinceMs: 42 });
    markInterrupted(state);
    expect(state.outbox[0]).toMatchObject({ uncertain: true, inFlightSinceMs: undefined });
  });

  it('backs off 10s, 20s, 40s ... and never waits more than 5 minutes', () => {
    expect([1, 2, 3, 4, 10, 50].map(backoffMs)).toEqual([10_000, 20_000, 40_000, 80_000, 300_000, 300_000]);
  });
});
