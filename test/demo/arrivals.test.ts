// How the demo prints what reaches its Slack server and SMTP sink, and the closing paragraph.
import { describe, expect, it } from 'vitest';
import { emailArrival, formatArrival, IncidentTimeline, recordedTime, SlackArrivals, summaryParagraph } from '../../src/demo/arrivals.js';

const TUE_0314 = Date.UTC(2026, 2, 3, 3, 14); // Tuesday 3 March 2026
const MIN = 60_000;

const postArgs = {
  channel: '#integrations',
  text: '[FIRING] partner error code shift: Acme EHR since 2026-03-03 03:12 UTC (at 2026-03-03 03:14 UTC)',
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: ':rotating_light: *[FIRING] partner error code shift: Acme EHR*\nsince 2026-03-03 03:12 UTC · error code 403 &amp; more' } }],
};

describe('demo arrivals', () => {
  it('prints recorded time as weekday and UTC clock time', () => {
    expect(recordedTime(TUE_0314)).toBe('Tue 03:14');
  });

  it('prints a page with its icon, headline and facts, and names the channel as the policy does in later updates', () => {
    const slack = new SlackArrivals();
    const page = slack.from({ method: 'chat.postMessage', args: postArgs, authorization: undefined }, TUE_0314, { channel: 'CINTEGRATIONS', ts: '1.1', text: '', blocks: [] })!;
    expect(formatArrival(page)).toBe('[Tue 03:14] Slack #integrations: :rotating_light: [FIRING] partner error code shift: Acme EHR · since Tue 03:12 · error code 403 & more\n');
    const update = slack.from({ method: 'chat.update', args: { ...postArgs, channel: 'CINTEGRATIONS', ts: '1.1' }, authorization: undefined }, TUE_0314 + 4 * 60 * MIN, undefined)!;
    expect(formatArrival(update)).toBe('[Tue 07:14] Slack #integrations, message updated: :rotating_light: [FIRING] partner error code shift: Acme EHR\n');
    const reply = slack.from({ method: 'chat.postMessage', args: { channel: 'CINTEGRATIONS', thread_ts: '1.1', text: 'at 2026-03-03 07:14 UTC: still firing' }, authorization: undefined }, TUE_0314, { channel: 'CINTEGRATIONS', ts: '1.2', text: '', blocks: [], threadTs: '1.1' })!;
    expect(formatArrival(reply)).toBe('            ↳ #integrations thread: at Tue 07:14: still firing\n');
    expect(slack.from({ method: 'conversations.history', args: { channel: 'CINTEGRATIONS' }, authorization: undefined }, TUE_0314, undefined)).toBeUndefined();
  });

  it('prints an e-mail by recipient and subject', () => {
    const mail = emailArrival({ from: 's@x', to: ['oncall@acme-ehr.example'], raw: '', decoded: '', subject: '[FIRING] Acme EHR: partner error code shift since 2026-03-03 03:12 UTC' }, TUE_0314 + 16 * MIN);
    expect(formatArrival(mail)).toBe('[Tue 03:30] e-mail to oncall@acme-ehr.example: subject "[FIRING] Acme EHR: partner error code shift since Tue 03:12"\n');
  });

  it('tells started, paged, e-mailed and resolved from the page message itself, not from another channel\'s resolve', () => {
    const t = new IncidentTimeline('#integrations');
    const at = (m: number) => TUE_0314 + m * MIN;
    t.add({ kind: 'slack', atMs: at(3), channel: '#integrations', change: 'posted', messageTs: '1.1', text: '[FIRING] x' });
    t.add({ kind: 'email', atMs: at(19), to: ['oncall@acme-ehr.example'], subject: '[FIRING] x' });
    t.add({ kind: 'slack', atMs: at(60), channel: '#integrations-warnings', change: 'updated', messageTs: '1.5', text: '[RESOLVED] y' });
    t.add({ kind: 'slack', atMs: at(500), channel: '#integrations', change: 'updated', messageTs: '1.1', text: '[RESOLVED] x' });
    const text = summaryParagraph({ description: 'acme_ehr answers 403', startMs: at(0), endMs: at(480) }, t).replace(/\s+/g, ' ');
    expect(text).toBe('The incident (acme_ehr answers 403) started at Tue 03:14. Slack #integrations was paged at Tue 03:17, 3 minutes after it started. ' +
      'oncall@acme-ehr.example was e-mailed at Tue 03:33, 16 minutes after the page, nobody having acknowledged it. ' +
      'The incident ended at Tue 11:14 and the resolve reached Slack at Tue 11:34. In all: 3 Slack calls (posts, updates, thread replies) and 1 e-mail. ');
  });

  it('says so when the alert resolved before the incident really ended, or nobody was paged', () => {
    const early = new IncidentTimeline('#integrations');
    early.add({ kind: 'slack', atMs: TUE_0314, channel: '#integrations', change: 'posted', messageTs: '1.1', text: '[FIRING] x' });
    early.add({ kind: 'slack', atMs: TUE_0314 + 60 * MIN, channel: '#integrations', change: 'updated', messageTs: '1.1', text: '[RESOLVED] x' });
    expect(summaryParagraph({ description: 'd', startMs: TUE_0314, endMs: TUE_0314 + 180 * MIN }, early).replace(/\s+/g, ' '))
      .toContain('Slack was told it resolved at Tue 04:14, 2 hours before the incident really ended at Tue 06:14');
    expect(summaryParagraph({ description: 'd', startMs: TUE_0314, endMs: TUE_0314 + 173 * MIN }, early).replace(/\s+/g, ' '))
      .toContain('1 hour 53 minutes before the incident really ended');
    const silent = summaryParagraph({ description: 'd', startMs: TUE_0314, endMs: TUE_0314 + MIN }, new IncidentTimeline('#integrations'));
    expect(silent.replace(/\s+/g, ' ')).toContain('Nobody was paged in #integrations. No e-mail was sent.');
  });
});
