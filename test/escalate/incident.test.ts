import type { AlertEvent } from '../../src/model/index.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { createEscalator } from '../../src/escalate/escalator.js';
import { loadPolicyFile } from '../../src/policy/index.js';
import { createReplayNotifier } from '../../src/backtest/replay-notifier.js';
import { memoryStore } from '../../src/store/file-store.js';
import { drive, recorder, useLocalReceivers } from './support/harness.js';
import { MINUTE, standardIncident, T0 } from './support/incident.js';
import { TEST_ENV } from './support/policy.js';

const local = useLocalReceivers({ repeatInterval: '1h' });
beforeEach(() => {
  local.slack.calls.length = 0;
  local.slack.messages.length = 0;
  local.slack.failWith = undefined;
  local.smtp.mails.length = 0;
});

/** Replays the incident minute by minute in recorded time; returns what arrived, tagged with the minute. */
async function replay(handle: (events: readonly AlertEvent[], nowMs: number) => Promise<void>, minutes: number, beforeMinute?: (m: number) => void) {
  const rec = recorder(local.slack, local.smtp);
  await drive(rec, handle, standardIncident(), 0, minutes, beforeMinute);
  return rec;
}

describe('replaying the partner error-code incident with --notify', () => {
  it('posts one Slack message for the incident, e-mails the partner after 15 minutes, repeats only per repeat_interval, and sends the resolved notice', async () => {
    const notifier = await createReplayNotifier(local.policyFile, { env: TEST_ENV, log: () => undefined });
    const { slackAt, mailAt } = await replay((e, t) => notifier.handle(e, t), 150);
    await notifier.finish(T0 + 150 * MINUTE);

    // Slack: one message (not one per series), updated in place, history in its thread.
    const posts = slackAt.filter((c) => c.method === 'chat.postMessage' && c.threadTs === undefined);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.minute).toBe(4); // group_wait after the first series fired at 3m; the third joined at 4m
    expect(local.slack.topLevel()).toHaveLength(1);
    const message = local.slack.topLevel()[0]!;
    expect(slackAt.map((c) => `${c.minute} ${c.method}${c.threadTs ? ' (thread)' : ''}`)).toEqual([
      '4 chat.postMessage',
      '64 chat.update', '64 chat.postMessage (thread)', // repeat_interval 1h: still firing, not acknowledged
      '124 chat.update', '124 chat.postMessage (thread)', // and once more
      '129 chat.update', '129 chat.postMessage (thread)', // resolved at 2h05m, told at the next group_interval flush
    ]);
    expect(slackAt.filter((c) => c.threadTs !== undefined).every((c) => c.threadTs === message.ts)).toBe(true);
    expect(posts[0]!.text).toContain('[FIRING] Elation Health: error code shift (403, was 401) in operations GET /labs/{id}/results, GET /patients/{id}, POST /appointments since 2026-11-20 02:00 UTC');
    expect(posts[0]!.text).toContain('at 2026-11-20 02:04 UTC');
    expect(JSON.stringify(local.slack.calls[0]!.args.blocks)).toContain('3 firing');
    expect(message.text).toContain('[RESOLVED]');
    expect(local.slack.replies(message.ts).map((r) => r.text)).toEqual([
      'at 2026-11-20 03:04 UTC: still firing after 1h 1m, not acknowledged',
      'at 2026-11-20 04:04 UTC: still firing after 2h 1m, not acknowledged',
      'at 2026-11-20 04:09 UTC: 3 series resolved; all resolved',
    ]);
    // The token went in the Authorization header, as Slack expects.
    expect(local.slack.calls.every((c) => c.authorization === `Bearer ${TEST_ENV.TEST_SLACK_TOKEN}`)).toBe(true);

    // E-mail: the partner's contacts after the 15-minute escalation timer, repeats per repeat_interval, resolved.
    expect(mailAt.map((m) => m.minute)).toEqual([19, 79, 129]); // 15m after the 4m page
    expect(local.smtp.mails[0]!.to.sort()).toEqual(['integrations@elation.example', 'oncall@elation.example']);
    expect(mailAt[0]!.subject).toBe('[FIRING] Elation Health: error code shift (403, was 401) in operations GET /labs/{id}/results, GET /patients/{id}, POST /appointments since 2026-11-20 02:00 UTC');
    expect(mailAt[2]!.subject).toMatch(/^\[RESOLVED\] Elation Health: error code shift/);
    const body = local.smtp.mails[0]!.decoded;
    for (const expected of [
      'Partner: Elation Health (elation)',
      'Operations: GET /labs/{id}/results, GET /patients/{id}, POST /appointments',
      'Error code: 403',
      'Since: 2026-11-20 02:00 UTC (19m before this message)',
      'Sent at: 2026-11-20 02:19 UTC',
      'escalated to you after 15m without acknowledgement',
      'Dashboard: https://grafana.clinic.example/d/sentinel-partner?var-partner=elation&from=',
      'Call the Elation partner desk',
      'previous_error_code=401',
      'Content-Type: text/html',
      '<h2>[FIRING] Elation Health: error code shift (403, was 401) in operations GET /labs/{id}/results, GET /patients/{id}, POST /appointments since 2026-11-20 02:00 UTC</h2>',
    ]) expect(body).toContain(expected);
    // The follow-ups thread under the first e-mail.
    expect(local.smtp.mails[1]!.raw).toMatch(/In-Reply-To: <n\d+\.g-[0-9a-f]+@integration-sentinel>/);
  });

  it('sends nothing at all for an incident a silence matches', async () => {
    const loaded = await loadPolicyFile(local.policyFile);
    if (!loaded.ok) throw new Error('policy must load');
    const escalator = await createEscalator({ policy: loaded.value, store: memoryStore(), env: TEST_ENV, log: () => undefined });
    const silence = await escalator.silences.create(
      { matchers: ['partner="elation"'], startsAtMs: T0 - MINUTE, endsAtMs: T0 + 6 * 60 * MINUTE, createdBy: 'dana', comment: 'Elation maintenance window' },
      T0 - MINUTE,
    );
    expect(silence.status).toBe('active');
    await replay((e, t) => escalator.handle(e, t), 150);
    await escalator.close();
    expect(local.slack.calls).toEqual([]);
    expect(local.smtp.mails).toEqual([]);
    expect(escalator.counters()['oncall-slack']).toEqual({ sent: 0, failed: 0, pending: 0 });
  });
});
