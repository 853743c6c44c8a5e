import { describe, expect, it } from 'vitest';
import { signSlackRequest, verifySlackRequest } from '../../src/service/slack-signature.js';
import { drive, escalatorFor, recorder, useLocalReceivers } from './support/harness.js';
import { MINUTE, standardIncident, T0 } from './support/incident.js';
import { TEST_ENV } from './support/policy.js';

const local = useLocalReceivers();
const SECRET = TEST_ENV.TEST_SLACK_SIGNING_SECRET;

function clickBody(groupId: string, username = 'dana'): string {
  const payload = { type: 'block_actions', user: { id: 'U024BE7LH', username }, actions: [{ action_id: 'sentinel_ack', block_id: 'sentinel_actions', value: groupId, type: 'button' }] };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

function buttonValue(blocks: unknown): string {
  const actions = (blocks as { type: string; elements?: { action_id?: string; value?: string }[] }[]).find((b) => b.type === 'actions');
  return actions!.elements!.find((e) => e.action_id === 'sentinel_ack')!.value!;
}

describe('the Acknowledge button', () => {
  it('acknowledges the group from a signed Slack click: message updated, no e-mail escalation, no repeats, resolve still told', async () => {
    const escalator = await escalatorFor(local.policyFile);
    const rec = recorder(local.slack, local.smtp);
    const incident = standardIncident();
    await drive(rec, (e, t) => escalator.handle(e, t), incident, 0, 9);
    const groupId = buttonValue(local.slack.calls[0]!.args.blocks);
    expect(escalator.groups().map((g) => g.id)).toEqual([groupId]);

    const body = clickBody(groupId);
    const now = T0 + 10 * MINUTE;
    let answer = { status: 0, body: '' };
    await rec.at(10, async () => { answer = await escalator.handleSlackInteraction(body, signSlackRequest(body, SECRET, now), now); });
    expect(answer.status).toBe(200);
    expect(escalator.groups()[0]!.acknowledged).toEqual({ by: 'dana (Slack)', atMs: now });
    const message = local.slack.topLevel()[0]!;
    expect(JSON.stringify(message.blocks)).toContain('Acknowledged by dana (Slack) at 2026-11-20 02:10 UTC');
    expect(JSON.stringify(message.blocks)).not.toContain('sentinel_ack'); // the button is gone

    await drive(rec, (e, t) => escalator.handle(e, t), incident, 11, 150);
    await escalator.close();
    expect(rec.slackAt.map((c) => `${c.minute} ${c.method}${c.threadTs ? ' (thread)' : ''}`)).toEqual([
      '4 chat.postMessage',
      '10 chat.update', '10 chat.postMessage (thread)',
      '129 chat.update', '129 chat.postMessage (thread)',
    ]);
    expect(local.slack.replies(message.ts).map((r) => r.text)).toEqual([
      'at 2026-11-20 02:10 UTC: acknowledged by dana (Slack)',
      'at 2026-11-20 04:09 UTC: 3 series resolved; all resolved',
    ]);
    expect(rec.mailAt).toEqual([]); // acknowledged before the 15-minute escalation step
  });

  it('rejects forged, tampered and stale interactivity requests and acknowledges nothing', async () => {
    local.slack.calls.length = 0;
    local.slack.messages.length = 0;
    const escalator = await escalatorFor(local.policyFile);
    const rec = recorder(local.slack, local.smtp);
    await drive(rec, (e, t) => escalator.handle(e, t), standardIncident(), 0, 5);
    const groupId = escalator.groups()[0]!.id;
    const body = clickBody(groupId, 'mallory');
    const now = T0 + 6 * MINUTE;
    const callsBefore = local.slack.calls.length;

    const forged = await escalator.handleSlackInteraction(body, signSlackRequest(body, 'not-the-secret', now), now);
    const tampered = await escalator.handleSlackInteraction(clickBody(groupId, 'eve'), signSlackRequest(body, SECRET, now), now);
    const stale = await escalator.handleSlackInteraction(body, signSlackRequest(body, SECRET, now - 6 * MINUTE), now);
    const unsigned = await escalator.handleSlackInteraction(body, {}, now);
    for (const answer of [forged, tampered, stale, unsigned]) expect(answer.status).toBe(401);
    expect(escalator.groups()[0]!.acknowledged).toBeUndefined();
    expect(local.slack.calls.length).toBe(callsBefore);

    const fresh = await escalator.handleSlackInteraction(body, signSlackRequest(body, SECRET, now - 4 * MINUTE), now);
    expect(fresh.status).toBe(200); // inside the 5-minute window
    await escalator.close();
  });
});

describe('acknowledging through the API', () => {
  it('acknowledges by group id or by the id of an alert in the group, and says when there is no such group', async () => {
    local.slack.calls.length = 0;
    local.slack.messages.length = 0;
    const escalator = await escalatorFor(local.policyFile);
    const rec = recorder(local.slack, local.smtp);
    const incident = standardIncident();
    await drive(rec, (e, t) => escalator.handle(e, t), incident, 0, 5);
    const group = escalator.groups()[0]!;
    const alertId = group.firingAlertIds[0]!;
    expect(await escalator.ack('g-does-not-exist', 'dana', T0 + 6 * MINUTE)).toEqual({ ok: false, reason: 'not_found' });
    expect(await escalator.ack(alertId, 'dana', T0 + 6 * MINUTE)).toEqual({ ok: true, groupId: group.id });
    expect(escalator.groups()[0]!.acknowledged).toEqual({ by: 'dana', atMs: T0 + 6 * MINUTE });
    // A second ack keeps the first acknowledger and sends nothing new.
    const calls = local.slack.calls.length;
    expect(await escalator.ack(group.id, 'sam', T0 + 7 * MINUTE)).toEqual({ ok: true, groupId: group.id });
    expect(escalator.groups()[0]!.acknowledged?.by).toBe('dana');
    expect(local.slack.calls.length).toBe(calls);
    await escalator.close();
  });
});

describe('verifySlackRequest', () => {
  const body = 'payload=%7B%7D';
  const now = 1_763_600_000_000;
  it('accepts Slack\'s documented v0 signature and refuses a one-character change', () => {
    const headers = signSlackRequest(body, SECRET, now);
    expect(verifySlackRequest(body, headers, SECRET, now)).toEqual({ ok: true });
    const sig = headers['x-slack-signature']!;
    const flipped = sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0');
    expect(verifySlackRequest(body, { ...headers, 'x-slack-signature': flipped }, SECRET, now)).toEqual({ ok: false, reason: 'bad signature' });
  });
  it('matches the example in Slack\'s documentation', () => {
    // https://api.slack.com/authentication/verifying-requests-from-slack
    const docBody = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    const headers = { 'x-slack-request-timestamp': '1531420618', 'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503' };
    expect(verifySlackRequest(docBody, headers, '8f742231b10e8888abcd99yyyzzz85a5', 1531420618_000)).toEqual({ ok: true });
  });
});
