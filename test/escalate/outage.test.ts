import { describe, expect, it } from 'vitest';
import { drive, escalatorFor, recorder, useLocalReceivers } from './support/harness.js';
import { errorCodeIncident, MINUTE, T0 } from './support/incident.js';

const local = useLocalReceivers();

describe('Slack outages', () => {
  it('delivers everything once and in order after Slack answered 503 for 30 simulated minutes', async () => {
    const escalator = await escalatorFor(local.policyFile);
    const rec = recorder(local.slack, local.smtp);
    const incident = errorCodeIncident('elation', [
      { operation: 'GET /patients/{id}', pendingAtMin: 0, firingAtMin: 3, resolvedAtMin: 90 },
      { operation: 'GET /labs/{id}/results', pendingAtMin: 0, firingAtMin: 3, resolvedAtMin: 20 },
      { operation: 'POST /appointments', pendingAtMin: 7, firingAtMin: 10, resolvedAtMin: 90 },
    ]);
    let rejectedDuringOutage = 0;
    local.slack.failWith = { status: 503, body: 'upstream unavailable' };
    await drive(rec, (e, t) => escalator.handle(e, t), incident, 0, 60, (m) => {
      if (m === 34) local.slack.failWith = undefined; // the first page was due at 4m: 30 minutes of 503s
      if (m < 34) rejectedDuringOutage = escalator.counters()['oncall-slack']!.failed;
    });
    await escalator.close();

    expect(rejectedDuringOutage).toBeGreaterThan(3); // retried with backoff all along, not once
    expect(rec.slackAt.every((c) => c.minute >= 34 && c.minute <= 39)).toBe(true); // backoff is capped at 5m
    // The receiver sees one message, the latest content, and the history in order, none of it twice.
    expect(local.slack.topLevel()).toHaveLength(1);
    const message = local.slack.topLevel()[0]!;
    expect(local.slack.replies(message.ts).map((r) => r.text)).toEqual([
      'at 2026-11-20 02:14 UTC: 1 series joined',
      'at 2026-11-20 02:24 UTC: 1 series resolved',
    ]);
    expect(rec.slackAt.map((c) => `${c.method}${c.threadTs ? ' (thread)' : ''}`)).toEqual([
      'chat.postMessage',
      'chat.postMessage (thread)', // the 02:14 update was superseded by the 02:24 one: only its reply is sent
      'chat.update',
      'chat.postMessage (thread)',
    ]);
    expect(JSON.stringify(message.blocks)).toContain('2 firing, 1 resolved');
    // The partner e-mails (escalation 15m after the 4m page was committed, one series resolved at the
    // 24m flush) did not wait for Slack.
    expect(rec.mailAt.map((m) => m.minute)).toEqual([19, 24]);
    expect(escalator.counters()['oncall-slack']).toMatchObject({ sent: 3, pending: 0 });
  });

  it('honours Slack 429 Retry-After before trying again', async () => {
    local.slack.calls.length = 0;
    local.slack.messages.length = 0;
    const escalator = await escalatorFor(local.policyFile);
    const rec = recorder(local.slack, local.smtp);
    const incident = errorCodeIncident('elation', [{ operation: 'GET /patients/{id}', pendingAtMin: 0, firingAtMin: 3, resolvedAtMin: 500 }]);
    local.slack.failWith = { status: 429, headers: { 'retry-after': '420' } };
    const failedAt: number[] = [];
    await drive(rec, (e, t) => escalator.handle(e, t), incident, 0, 20, (m) => {
      if (m === 5) local.slack.failWith = undefined;
      failedAt.push(escalator.counters()['oncall-slack']?.failed ?? 0);
    });
    await escalator.close();
    // First attempt at 4m was told to wait 7 minutes: nothing until 11m although Slack was back at 5m.
    expect(rec.slackAt.map((c) => `${c.minute} ${c.method}`)).toEqual(['11 chat.postMessage']);
    expect(failedAt[10]).toBe(1);
    void T0;
    void MINUTE;
  });
});
