import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadPolicyFile } from '../../src/policy/index.js';
import { drive, escalatorFor, recorder, useLocalReceivers } from './support/harness.js';
import { standardIncident } from './support/incident.js';
import { writeTestPolicy } from './support/policy.js';

const local = useLocalReceivers(false); // each test writes its own policy

describe('reloading the policy (SIGHUP)', () => {
  it('keeps the open incident and its Slack message, and stops e-mailing a receiver the new policy removed', async () => {
    const file = await writeTestPolicy({ slackUrl: local.slack.url, smtpPort: local.smtp.port });
    const logs: string[] = [];
    const escalator = await escalatorFor(file, undefined, (line) => logs.push(line));
    const rec = recorder(local.slack, local.smtp);
    const incident = standardIncident();
    await drive(rec, (e, t) => escalator.handle(e, t), incident, 0, 10);

    // The new policy drops the partner e-mail step and its receiver.
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/    steps:\n      - after: 15m\n        receiver: partner-email\n/, '').replace(/    - name: partner-email\n      email_configs:\n        - to_partner_contacts: true\n/, ''));
    const reloaded = await loadPolicyFile(file);
    if (!reloaded.ok) throw new Error(JSON.stringify(reloaded.diagnostics));
    expect(reloaded.value.receivers.map((r) => r.name)).toEqual(['oncall-slack']);
    await escalator.reload(reloaded.value);

    await drive(rec, (e, t) => escalator.handle(e, t), incident, 11, 130);
    await escalator.close();
    expect(local.slack.topLevel()).toHaveLength(1); // same incident, same message, updated in place
    expect(local.slack.topLevel()[0]!.text).toContain('[RESOLVED]');
    expect(rec.mailAt).toEqual([]);
    expect(logs.filter((l) => l.includes('receiver partner-email is not in the policy any more'))).toHaveLength(1);
  });
});
