// A Slack call past the attempt's deadline is really aborted: the outbox counts the attempt failed
// and closes its connection, so a slow Slack (the local server taking 400 ms a call and dropping calls
// whose client hung up) never takes a part of the abandoned attempt later; the retry then sends what
// is missing exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainOutbox } from '../../src/escalate/outbox.js';
import { createSlackSender } from '../../src/escalate/slack.js';
import { emptyState, type OutboxEntry } from '../../src/escalate/state.js';
import type { ReceiverCounters } from '../../src/escalate/types.js';
import { startFakeSlack, type FakeSlack } from './support/slack-server.js';

let slack: FakeSlack;
beforeAll(async () => {
  slack = await startFakeSlack();
});
afterAll(async () => {
  await slack.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function page(): OutboxEntry {
  return { id: 'n1', integration: 'oncall/slack/0', receiver: 'oncall', groupId: 'g-1', createdAtMs: 0, attempts: 0, nextAttemptAtMs: 0, done: [], payload: { kind: 'slack', channel: 'C0ONCALL', text: '[FIRING] acme answers 401s', blocks: [], reply: 'at 02:14 UTC: 1 series joined' } };
}

describe('a Slack call past its deadline', () => {
  it('is aborted, nothing of the attempt lands late, and the retry sends the missing reply once', async () => {
    const sender = createSlackSender({ config: { type: 'slack', channel: 'C0ONCALL', apiUrl: slack.url, tokenEnv: 'X', sendResolved: true }, token: 'xoxb-1', timeoutMs: 5_000 });
    const state = emptyState();
    state.outbox.push(page());
    const counters: Record<string, ReceiverCounters> = {};
    const lines: string[] = [];
    const drain = (nowMs: number) => drainOutbox({ state, nowMs, senderFor: () => sender, persist: async () => undefined, counters, log: (l) => lines.push(l), attemptDeadlineMs: 600 });

    // The post takes 400 ms and lands; the reply starts at 400 ms and is cut at the 600 ms deadline.
    slack.delayMs = 400;
    const started = performance.now();
    await drain(0);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(lines.join('\n')).toMatch(/no answer within 600 ms \(deadline\)/);
    expect(state.outbox[0]).toMatchObject({ done: ['post'], uncertain: true });
    // Long after the reply would have been answered: Slack never took it.
    await sleep(1_000);
    expect(slack.topLevel().map((m) => m.text)).toEqual(['[FIRING] acme answers 401s']);
    expect(slack.replies(slack.topLevel()[0]!.ts)).toEqual([]);
    const callsAfterDeadline = slack.calls.length;
    expect(slack.calls.map((c) => c.method)).toEqual(['chat.postMessage']);

    // The retry (Slack fast again): the reply goes out once, the page is not posted again.
    slack.delayMs = 0;
    await drain(state.outbox[0]!.nextAttemptAtMs);
    expect(state.outbox).toEqual([]);
    expect(slack.topLevel()).toHaveLength(1);
    expect(slack.replies(slack.topLevel()[0]!.ts).map((m) => m.text)).toEqual(['at 02:14 UTC: 1 series joined']);
    expect(slack.calls.length).toBeGreaterThan(callsAfterDeadline);
  });
});
