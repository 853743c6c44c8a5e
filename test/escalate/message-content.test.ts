// What a responder reads: the rule's summary, the runbook, the explanation in humanized words, and the
// Silence buttons (signed and checked like Acknowledge), in the real Slack client's calls and real e-mails.
import { describe, expect, it } from 'vitest';
import { alertContent, fromDetector, percent, seconds } from '../../src/escalate/message-content.js';
import { signSlackRequest } from '../../src/service/slack-signature.js';
import { drive, escalatorFor, recorder, useLocalReceivers } from './support/harness.js';
import { MINUTE, standardIncident, T0 } from './support/incident.js';
import { TEST_ENV } from './support/policy.js';

const local = useLocalReceivers();
const SECRET = TEST_ENV.TEST_SLACK_SIGNING_SECRET;

function withRuleText(incident: ReturnType<typeof standardIncident>): typeof incident {
  for (const events of incident.values()) {
    for (let i = 0; i < events.length; i++) {
      events[i] = Object.assign({ ...events[i]! }, { kind: 'error_code_shift', summaryTemplate: '{{ $labels.partner }} now answers {{ $labels.error_code }} to {{ $value | humanizePercentage }} of calls', runbook: 'https://runbooks.example.com/sentinel/partner-error-code-shift' });
    }
  }
  return incident;
}

function click(actionId: string, groupId: string): string {
  const payload = { type: 'block_actions', user: { id: 'U1', username: 'dana' }, actions: [{ action_id: actionId, value: groupId, type: 'button' }] };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

describe('the words', () => {
  it('humanizes shares, durations and counts, never a raw float', () => {
    expect(percent(0.538)).toBe('54%');
    expect(percent(0.001)).toBe('0.1%');
    expect(percent(0.073)).toBe('7.3%');
    expect(seconds(0.0042)).toBe('4 ms');
    expect(seconds(754)).toBe('12m 34s');
    const now = alertContent({ rule: 'db_operation_timeouts', kind: 'timeouts', labels: { db_operation_name: 'SELECT encounters' }, value: 0.3712345, summaryTemplate: '{{ $labels.db_operation_name }} times out on {{ $value | humanizePercentage }} of calls' });
    expect(now.explanation).toBe('times out on 37% of calls');
    // With the detector's explain (issue 11) the counts, window and normal are said too.
    const rich = alertContent({ rule: 'partner_error_code_shift', kind: 'error_code_shift', labels: { error_code: '403' }, value: 0.596, explain: { windowMs: 10 * MINUTE, count: 31, total: 52, neverSeen: true, referenceMs: 7 * 86_400_000 } });
    expect(rich.explanation).toBe('403 on 31 of 52 calls (60%) in the last 10m; never seen in the 7 days before');
    const drop = alertContent({ rule: 'checkin_success_drop', kind: 'success_drop', labels: {}, value: 0.414, explain: { windowMs: 10 * MINUTE, count: 58, normal: 140, low: 112, high: 171, reference: 'Tuesday 09:00' } });
    expect(drop.explanation).not.toMatch(/\d\.\d{3,}/);
    expect(alertContent({ rule: 'x', labels: {}, value: 0.1, runbook: 'javascript:alert(1)' }).runbook).toBeUndefined();
  });

  it("says the detector's own explain in words: a code never seen, a drop against its normal count, a latency band", () => {
    // The shapes src/detect/kinds write (share.ts shareExplain, success-drop.ts, latency.ts).
    const code = fromDetector({ window: '10m', observed: 0.596, count: 31, total: 52, normal: 0, reference: 'share over the trailing 7d', pValue: 1e-12, exit: 0.3 });
    expect(alertContent({ rule: 'partner_error_code_shift', kind: 'error_code_shift', labels: { error_code: '403' }, value: 0.596, explain: code }).explanation)
      .toBe('403 on 31 of 52 calls (60%) in the last 10m; never seen in the 7 days before');
    const drop = fromDetector({ window: '10m', observed: 58, normal: 140, reference: 'the lower of the 1h level frozen at 2026-03-10T09:00:00.000Z and the season now', exit: 70 });
    expect(alertContent({ rule: 'checkin_success_drop', kind: 'success_drop', labels: {}, value: 0.414, explain: drop }).explanation)
      .toBe('58 successes, 41% of normal in the last 10m; normal is 140');
    const slow = fromDetector({ window: '5m', observed: 2.5, count: 40, normal: 0.12, reference: 'median of the 5-minute means over the trailing 1d', upper: 0.9, exit: 0.5 });
    expect(alertContent({ rule: 'partner_latency', kind: 'latency', labels: {}, value: 2.5, explain: slow }).explanation)
      .toBe('mean duration 2.5 s in the last 5m; normal is 120 ms');
  });
});

describe('messages a responder can act on', () => {
  it('carry the summary, explanation and runbook; the Silence button silences, acknowledges and shows it', async () => {
    const escalator = await escalatorFor(local.policyFile);
    const rec = recorder(local.slack, local.smtp);
    const incident = withRuleText(standardIncident());
    await drive(rec, (e, t) => escalator.handle(e, t), incident, 0, 9);
    const first = local.slack.topLevel()[0]!;
    const blocks = JSON.stringify(first.blocks);
    expect(blocks).toContain('elation now answers 403 to 92% of calls');
    expect(blocks).toContain('(answers 403 to 92% of calls)');
    expect(blocks).not.toContain('0.92');
    expect(blocks).toContain('"url":"https://runbooks.example.com/sentinel/partner-error-code-shift"');
    const actions = (first.blocks as { type: string; elements?: { action_id: string; value?: string }[] }[]).find((b) => b.type === 'actions')!.elements!;
    expect(actions.map((e) => e.action_id)).toEqual(['sentinel_ack', 'sentinel_silence_1h', 'sentinel_silence_4h', 'sentinel_silence_24h', 'sentinel_runbook_0']);
    const groupId = actions[1]!.value!;

    // Unsigned: refused, nothing silenced.
    const body = click('sentinel_silence_4h', groupId);
    const now = T0 + 10 * MINUTE;
    const forged = await escalator.handleSlackInteraction(body, { 'x-slack-request-timestamp': String(Math.floor(now / 1000)), 'x-slack-signature': 'v0=00' }, now);
    expect(forged.status).toBe(401);
    expect(escalator.silences.list(now)).toEqual([]);

    let answer = { status: 0, body: '' };
    await rec.at(10, async () => { answer = await escalator.handleSlackInteraction(body, signSlackRequest(body, SECRET, now), now); });
    expect(answer.status).toBe(200);
    const [silence] = escalator.silences.list(now);
    expect(silence).toMatchObject({ status: 'active', createdBy: 'dana (Slack)', endsAtMs: now + 4 * 60 * MINUTE });
    expect(silence!.matchers).toEqual(expect.arrayContaining([{ label: 'partner', op: '=', value: 'elation' }]));
    const updated = JSON.stringify(local.slack.topLevel()[0]!.blocks);
    expect(updated).toContain('Silenced by dana (Slack) until 2026-11-20 06:10 UTC');
    expect(updated).not.toContain('sentinel_silence_');
    // Link button clicks are answered 200 and change nothing.
    const link = click('sentinel_runbook_0', groupId);
    expect((await escalator.handleSlackInteraction(link, signSlackRequest(link, SECRET, now), now)).status).toBe(200);

    const callsBefore = local.slack.calls.length;
    await drive(rec, (e, t) => escalator.handle(e, t), incident, 11, 60);
    expect(local.slack.calls.length).toBe(callsBefore); // silenced: no repeat, no escalation
    expect(rec.mailAt).toEqual([]);
    await escalator.close();
  });

  it('e-mails carry the summary, explanation and the runbook link', async () => {
    local.slack.calls.length = 0;
    const escalator = await escalatorFor(local.policyFile);
    const rec = recorder(local.slack, local.smtp);
    await drive(rec, (e, t) => escalator.handle(e, t), withRuleText(standardIncident()), 0, 30);
    await escalator.close();
    const mail = local.smtp.mails.at(-1)!.decoded;
    expect(mail).toContain('now answers 403 to 92% of calls');
    expect(mail).toContain('Runbook: https://runbooks.example.com/sentinel/partner-error-code-shift');
    expect(mail).toContain('<a href="https://runbooks.example.com/sentinel/partner-error-code-shift">');
    expect(mail).not.toContain('0.92');
  });
});
