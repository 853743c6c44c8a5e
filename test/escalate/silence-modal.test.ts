// Silence… in Slack as a responder uses it: the button on the page opens a modal (the real
// @slack/web-api client calls views.open on the local Slack server with the click's trigger_id), the
// responder writes a duration and a reason, and the submission (view_submission, signed and checked like
// every click) silences the group with that comment; the message shows it. A duration that does not
// parse goes back to the modal beside its input; an unsigned submission silences nothing.
import { describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../src/service/slack-signature.js';
import { drive, escalatorFor, recorder, useLocalReceivers } from './support/harness.js';
import { MINUTE, standardIncident, T0 } from './support/incident.js';
import { TEST_ENV } from './support/policy.js';

const local = useLocalReceivers();
const SECRET = TEST_ENV.TEST_SLACK_SIGNING_SECRET;

const form = (payload: unknown): string => `payload=${encodeURIComponent(JSON.stringify(payload))}`;

/** What Slack posts when the responder submits the modal it opened (the view as views.open got it). */
function submit(view: Record<string, unknown>, duration: string, comment: string): string {
  return form({
    type: 'view_submission',
    user: { id: 'U2', username: 'rosa' },
    view: {
      ...view,
      state: { values: { duration: { duration_text: { type: 'plain_text_input', value: duration } }, comment: { comment_text: { type: 'plain_text_input', value: comment } } } },
    },
  });
}

describe('the Silence… modal', () => {
  it('opens with the trigger_id, takes a duration and a comment, silences the group and says so in the message', async () => {
    const escalator = await escalatorFor(local.policyFile);
    const rec = recorder(local.slack, local.smtp);
    await drive(rec, (e, t) => escalator.handle(e, t), standardIncident(), 0, 9);
    const page = local.slack.topLevel()[0]!;
    const blocks = page.blocks as { type: string; accessory?: { action_id: string; value: string } }[];
    const button = blocks.find((b) => b.accessory?.action_id === 'sentinel_silence_modal')!.accessory!;
    const groupId = button.value;
    const now = T0 + 10 * MINUTE;

    // The click: Slack gives it a trigger_id; the service answers 200 after opening the modal with it.
    const click = form({ type: 'block_actions', trigger_id: local.slack.issueTrigger(), user: { id: 'U2', username: 'rosa' }, actions: [{ action_id: button.action_id, value: groupId, type: 'button' }] });
    const opened = await escalator.handleSlackInteraction(click, signSlackRequest(click, SECRET, now), now);
    expect(opened.status).toBe(200);
    expect(local.slack.views).toHaveLength(1);
    const { view } = local.slack.views[0]!;
    expect(view).toMatchObject({ type: 'modal', callback_id: 'sentinel_silence', private_metadata: groupId, submit: { text: 'Silence' } });
    expect(JSON.stringify(view)).toContain('partner=\\"elation\\"');
    const viewsCall = local.slack.calls.find((c) => c.method === 'views.open')!;
    expect(viewsCall.authorization).toBe(`Bearer ${TEST_ENV.TEST_SLACK_TOKEN}`);
    // The same trigger cannot open a second modal (Slack's triggers are good once).
    const again = await escalator.handleSlackInteraction(click, signSlackRequest(click, SECRET, now), now);
    expect(again.status).toBe(200);
    expect(local.slack.views).toHaveLength(1);

    // A duration that does not parse: the modal stays open and says what to write.
    const typo = submit(view, '4 hours', 'partner maintenance OPS-7');
    const refused = await escalator.handleSlackInteraction(typo, signSlackRequest(typo, SECRET, now), now);
    expect(refused.status).toBe(200);
    expect(refused.contentType).toBe('application/json');
    expect(JSON.parse(refused.body)).toEqual({ response_action: 'errors', errors: { duration: expect.stringContaining('write 90m, 4h or 2d') } });
    expect(escalator.silences.list(now)).toEqual([]);

    // Unsigned: refused, nothing silenced.
    const good = submit(view, '90m', 'partner maintenance window, ticket OPS-7');
    const forged = await escalator.handleSlackInteraction(good, { 'x-slack-request-timestamp': String(Math.floor(now / 1000)), 'x-slack-signature': 'v0=00' }, now);
    expect(forged.status).toBe(401);
    expect(escalator.silences.list(now)).toEqual([]);

    let answer = { status: 0, body: '' };
    await rec.at(10, async () => { answer = await escalator.handleSlackInteraction(good, signSlackRequest(good, SECRET, now), now); });
    expect(answer).toMatchObject({ status: 200, body: '' }); // an empty 200 closes the modal
    const [silence] = escalator.silences.list(now);
    expect(silence).toMatchObject({ status: 'active', createdBy: 'rosa (Slack)', comment: 'partner maintenance window, ticket OPS-7', endsAtMs: now + 90 * MINUTE });
    expect(silence!.matchers).toEqual(expect.arrayContaining([{ label: 'partner', op: '=', value: 'elation' }]));
    const updated = JSON.stringify(local.slack.topLevel()[0]!.blocks);
    expect(updated).toContain('Silenced by rosa (Slack) until 2026-11-20 03:40 UTC: partner maintenance window, ticket OPS-7');
    expect(updated).not.toContain('sentinel_silence_');

    const callsBefore = local.slack.calls.length;
    await drive(rec, (e, t) => escalator.handle(e, t), standardIncident(), 11, 60);
    expect(local.slack.calls.filter((c) => c.method === 'chat.postMessage').length).toBe(local.slack.calls.slice(0, callsBefore).filter((c) => c.method === 'chat.postMessage').length);
    await escalator.close();
  });
});
