import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/backtest/index.js';
import { createReplayNotifier } from '../../src/backtest/replay-notifier.js';
import { loadRules } from '../../src/rules/index.js';
import { generateRecording } from '../support/recording-generator.ts';
import { useLocalReceivers } from './support/harness.js';
import { TEST_ENV, writeTestPolicy } from './support/policy.js';

const local = useLocalReceivers(false); // each test writes its own policy

const PARTNERS = { acme_ehr: 'Acme EHR', labcorp_like: 'LabCorp-like Labs', pharmacy: 'Neighbourhood Pharmacy' };
const MIN = 60_000;

describe('a generated error-code incident through the default rule pack and --notify', () => {
  it('pages the partner once in Slack, e-mails its contacts after 15 minutes, and tells the resolve', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sentinel-recording-'));
    const truth = generateRecording({ scenario: 'error_code_shift', seed: 11, days: 2, out: join(dir, 'incident.om') });
    const incident = truth.incident!;
    const partner = incident.entities[0]!.partner!;
    const rules = await loadRules(new URL('../../rules', import.meta.url).pathname);
    if (!rules.ok) throw new Error('default pack must load');
    const policyFile = await writeTestPolicy({ slackUrl: local.slack.url, smtpPort: local.smtp.port, groupBy: '[partner]', repeatInterval: '4h', partners: PARTNERS });
    const notifier = await createReplayNotifier(policyFile, { env: TEST_ENV, log: () => undefined });
    const postedAt: number[] = [];
    const mailedAt: number[] = [];
    await runBacktest(rules.rules, truth.file!, {
      onBatch: async (events, batch) => {
        const posts = local.slack.topLevel().length;
        const mails = local.smtp.mails.length;
        await notifier.handle(events, batch.atMs);
        if (local.slack.topLevel().length > posts) postedAt.push(batch.atMs);
        if (local.smtp.mails.length > mails) mailedAt.push(batch.atMs);
      },
    });
    await notifier.finish(truth.endMs);

    const name = PARTNERS[partner as keyof typeof PARTNERS];
    const forPartner = local.slack.topLevel().filter((m) => m.text.includes(name));
    expect(forPartner).toHaveLength(1); // one message for the incident, however many series and rules fired
    expect(postedAt[0]! - incident.startMs).toBeLessThanOrEqual((incident.pageWithinMinutes + 1) * MIN);
    expect(forPartner[0]!.text).toContain('[RESOLVED]');
    const partnerMails = local.smtp.mails.filter((m) => m.to.includes(`support@${partner.replace(/_/g, '-')}.example`));
    expect(partnerMails.length).toBeGreaterThanOrEqual(2); // the escalation, ..., the resolved notice
    // The escalation step, counted from the page, at the first scrape after it is due.
    expect(mailedAt[0]! - postedAt[0]!).toBeGreaterThanOrEqual(15 * MIN);
    expect(mailedAt[0]! - postedAt[0]!).toBeLessThanOrEqual(16 * MIN);
    expect(partnerMails[0]!.subject).toContain(`[FIRING] ${name}`);
    expect(partnerMails.at(-1)!.subject).toContain(`[RESOLVED] ${name}`);
  }, 60_000);
});
