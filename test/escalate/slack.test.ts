import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryContext } from '../../src/escalate/outbox.js';
import { createSlackSender } from '../../src/escalate/slack.js';
import { emptyState, type OutboxEntry } from '../../src/escalate/state.js';
import type { SlackConfig } from '../../src/policy/types.js';
import { startFakeSlack, type FakeSlack } from './support/slack-server.js';

let slack: FakeSlack;
beforeAll(async () => {
  slack = await startFakeSlack();
});
afterAll(async () => {
  await slack.close();
});
beforeEach(() => {
  slack.calls.length = 0;
  slack.messages.length = 0;
  slack.failWith = undefined;
  slack.requests = 0;
});

const config = (): SlackConfig => ({ type: 'slack', channel: 'C0ONCALL', apiUrl: slack.url, tokenEnv: 'X', sendResolved: true });
const BUTTON = { type: 'actions', elements: [{ type: 'button', action_id: 'sentinel_ack', value: 'g-1', text: { type: 'plain_text', text: 'Acknowledge' } }] };

function entry(id: string, text: string, reply?: string): OutboxEntry {
  return { id, integration: 'oncall/slack/0', receiver: 'oncall', groupId: 'g-1', createdAtMs: 0, attempts: 1, nextAttemptAtMs: 0, done: [], payload: { kind: 'slack', channel: 'C0ONCALL', text, blocks: [BUTTON], reply } };
}

function ctxFor(state = emptyState()): DeliveryContext {
  return { state, nowMs: 0, later: [], checkpoint: async () => undefined };
}

describe('the Slack sender', () => {
  it('posts a group\'s first notification, then updates that message in place and replies in its thread', async () => {
    const sender = createSlackSender({ config: config(), token: 'xoxb-1' });
    const ctx = ctxFor();
    expect(await sender.deliver(entry('n1', 'first'), ctx)).toEqual({ ok: true });
    expect(await sender.deliver(entry('n2', 'second', 'at 02:14 UTC: 1 series joined'), ctx)).toEqual({ ok: true });
    const ts = slack.messages[0]!.ts;
    expect(slack.calls.map((c) => ({ method: c.method, args: c.args }))).toEqual([
      { method: 'chat.postMessage', args: { channel: 'C0ONCALL', text: 'first', blocks: [BUTTON], metadata: { event_type: 'integration_sentinel_notification', event_payload: { group_id: 'g-1', notification_id: 'n1' } } } },
      { method: 'chat.update', args: { channel: 'C0ONCALL', ts, text: 'second', blocks: [BUTTON] } },
      { method: 'chat.postMessage', args: { channel: 'C0ONCALL', thread_ts: ts, text: 'at 02:14 UTC: 1 series joined', metadata: { event_type: 'integration_sentinel_notification', event_payload: { group_id: 'g-1', notification_id: 'n2' } } } },
    ]);
    expect(ctx.state.slackMessages['g-1|oncall/slack/0']).toEqual({ channel: 'C0ONCALL', ts });
  });

  it('leaves retrying to the outbox: one HTTP request per attempt, however Slack fails', async () => {
    const sender = createSlackSender({ config: config(), token: 'xoxb-1' });
    slack.failWith = { status: 503 };
    expect(await sender.deliver(entry('n1', 'first'), ctxFor())).toMatchObject({ ok: false, error: 'slack answered HTTP 503' });
    slack.failWith = { status: 429, headers: { 'retry-after': '30' } };
    expect(await sender.deliver(entry('n1', 'first'), ctxFor())).toMatchObject({ ok: false, retryAfterMs: 30_000 });
    expect(slack.requests).toBe(2);
  });

  it('posts a fresh message when someone deleted the group\'s message', async () => {
    const sender = createSlackSender({ config: config(), token: 'xoxb-1' });
    const ctx = ctxFor();
    await sender.deliver(entry('n1', 'first'), ctx);
    slack.messages.length = 0; // deleted in Slack
    expect(await sender.deliver(entry('n2', 'second', 'at 02:14 UTC: 1 series joined'), ctx)).toEqual({ ok: true });
    expect(slack.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'chat.update', 'chat.postMessage', 'chat.postMessage']);
    expect(slack.topLevel().map((m) => m.text)).toEqual(['second']);
    expect(slack.replies(slack.topLevel()[0]!.ts).map((m) => m.text)).toEqual(['at 02:14 UTC: 1 series joined']);
  });

  it('gives up on a channel that does not exist instead of retrying forever', async () => {
    const sender = createSlackSender({ config: config(), token: 'xoxb-1' });
    slack.failWith = { status: 200, body: JSON.stringify({ ok: false, error: 'channel_not_found' }) };
    expect(await sender.deliver(entry('n1', 'first'), ctxFor())).toMatchObject({ ok: false, permanent: true, error: 'slack answered channel_not_found' });
  });
});
