// What reaches Slack and e-mail when the data itself is hostile, and when a mail cannot be delivered:
// identifiers in any spelling are scrubbed from label values, Slack markup in a label never becomes a
// mention or a link (the top-level text is escaped like the blocks), and an e-mail the SMTP server
// refuses for good is reported in the on-call Slack channel. Real Slack client against the local Slack
// API, real SMTP servers.
import { describe, expect, it } from 'vitest';
import { drive, escalatorFor, recorder, useLocalReceivers } from './support/harness.js';
import { errorCodeIncident, standardIncident } from './support/incident.js';
import { writeTestPolicy } from './support/policy.js';
import { startStuckSmtp } from './support/stuck-smtp.js';

const local = useLocalReceivers();

describe('hostile label values', () => {
  it('scrub names, MRNs, dates in any format and spelled-out e-mails, and escape Slack markup in text and blocks', async () => {
    local.slack.calls.length = 0;
    const escalator = await escalatorFor(local.policyFile);
    const rec = recorder(local.slack, local.smtp);
    const incident = errorCodeIncident('elation', [
      { operation: 'GET /patients/John Smith', pendingAtMin: 0, firingAtMin: 3, resolvedAtMin: 40, extraLabels: { error_code: 'patient-Smith MRN 12345' } },
      { operation: 'POST /records/dob 01/02/1980', pendingAtMin: 0, firingAtMin: 3, resolvedAtMin: 40, extraLabels: { zone: 'jane.doe at example dot com', queue: 'born 2 February 1980' } },
      { operation: 'GET /orders/<!channel> <https://evil.example|click>', pendingAtMin: 0, firingAtMin: 3, resolvedAtMin: 40 },
    ]);
    await drive(rec, (e, t) => escalator.handle(e, t), incident, 0, 50);
    await escalator.close();
    const slackText = JSON.stringify(local.slack.calls.map((c) => c.args));
    const mailText = local.smtp.mails.map((m) => m.decoded).join('\n');
    expect(local.slack.calls.length).toBeGreaterThanOrEqual(2);
    expect(local.smtp.mails.length).toBeGreaterThanOrEqual(1);
    for (const text of [slackText, mailText]) {
      expect(text).toContain('elation'); // the test can fail: allowed labels get through
      for (const identifier of ['John Smith', 'Smith', '12345', '01/02/1980', '1980', 'jane.doe', 'example dot com', 'February']) {
        expect(text, `leaks ${identifier}`).not.toContain(identifier);
      }
    }
    for (const call of local.slack.calls) {
      const text = String(call.args.text);
      expect(text).not.toContain('<!channel>');
      expect(text).not.toContain('<https://evil.example');
    }
    expect(slackText).toContain('&lt;!channel&gt;');
  });
});

describe('an e-mail refused for good', () => {
  it('is reported in the on-call Slack channel with what was not delivered', async () => {
    local.slack.calls.length = 0;
    local.slack.messages.length = 0;
    const relay = await startStuckSmtp({ mode: 'refuse' });
    try {
      const policy = await writeTestPolicy({ slackUrl: local.slack.url, smtpPort: relay.port });
      const escalator = await escalatorFor(policy);
      const rec = recorder(local.slack, local.smtp);
      await drive(rec, (e, t) => escalator.handle(e, t), standardIncident(), 0, 25);
      await escalator.close();
      const page = local.slack.topLevel()[0]!;
      const notice = local.slack.replies(page.ts).find((r) => r.text.includes('E-mail not delivered'));
      expect(notice?.text).toContain('integrations@elation.example');
      expect(notice?.text).toContain('550');
      expect(notice?.text).toContain('[FIRING] Elation Health');
    } finally {
      await relay.close();
    }
  });
});
