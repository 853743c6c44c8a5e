import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { fileStore } from '../../src/store/file-store.js';
import type { DurableStore } from '../../src/store/types.js';
import { drive, escalatorFor, recorder, useLocalReceivers } from './support/harness.js';
import { standardIncident } from './support/incident.js';
import { writeTestPolicy } from './support/policy.js';

const local = useLocalReceivers();
beforeEach(() => {
  local.slack.calls.length = 0;
  local.slack.messages.length = 0;
  local.smtp.mails.length = 0;
});

describe('restarting from the data directory mid-incident', () => {
  it('pages once and still delivers the resolve when a fresh escalator takes over the same store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sentinel-data-'));
    const rec = recorder(local.slack, local.smtp);
    const incident = standardIncident();
    const first = await escalatorFor(local.policyFile, fileStore(dir));
    await drive(rec, (e, t) => first.handle(e, t), incident, 0, 30);
    // The process dies here: nothing of `first` survives but what it wrote to the store.
    const second = await escalatorFor(local.policyFile, fileStore(dir));
    await drive(rec, (e, t) => second.handle(e, t), incident, 31, 150);
    await first.close();
    await second.close();

    expect(local.slack.topLevel()).toHaveLength(1);
    expect(rec.slackAt.filter((c) => c.method === 'chat.postMessage' && !c.threadTs).map((c) => c.minute)).toEqual([4]);
    expect(rec.mailAt.map((m) => m.minute)).toEqual([19, 79, 129]);
    expect(local.slack.topLevel()[0]!.text).toContain('[RESOLVED]');
  });

  it('does not post twice when Slack took the message but the answer was lost before the restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sentinel-data-'));
    const rec = recorder(local.slack, local.smtp);
    const incident = standardIncident();
    const first = await escalatorFor(local.policyFile, fileStore(dir));
    await drive(rec, (e, t) => first.handle(e, t), incident, 0, 3);
    local.slack.dropResponses = true; // Slack stores the 4m post, the connection dies before the answer
    await drive(rec, (e, t) => first.handle(e, t), incident, 4, 4);
    local.slack.dropResponses = false;
    expect(local.slack.topLevel()).toHaveLength(1);
    const second = await escalatorFor(local.policyFile, fileStore(dir));
    await drive(rec, (e, t) => second.handle(e, t), incident, 5, 70);
    await first.close();
    await second.close();

    expect(local.slack.topLevel()).toHaveLength(1); // found by its notification id in the channel history
    expect(rec.slackAt.map((c) => c.method)).toContain('conversations.history');
    const ts = local.slack.topLevel()[0]!.ts;
    expect(local.slack.replies(ts).map((r) => r.text)).toEqual(['at 2026-11-20 03:04 UTC: still firing after 1h 1m, not acknowledged']);
  });

  it('does not post twice when killed after Slack took the message but before the store heard of it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sentinel-data-'));
    const namedChannelPolicy = await writeTestPolicy({ slackUrl: local.slack.url, smtpPort: local.smtp.port, channel: '#integrations-oncall' });
    const rec = recorder(local.slack, local.smtp);
    const incident = standardIncident();
    const disk = fileStore(dir);
    let dead = false;
    // The process "dies" the moment Slack has the post: nothing written after that reaches the disk.
    const dying: DurableStore = { ...disk, write: (key, value) => (dead ? Promise.resolve() : disk.write(key, value)) };
    local.slack.onCall = (call) => {
      if (call.method === 'chat.postMessage') dead = true;
    };
    const first = await escalatorFor(namedChannelPolicy, dying);
    await drive(rec, (e, t) => first.handle(e, t), incident, 0, 4);
    local.slack.onCall = undefined;
    expect(local.slack.topLevel()).toHaveLength(1);

    const second = await escalatorFor(namedChannelPolicy, fileStore(dir));
    await drive(rec, (e, t) => second.handle(e, t), incident, 5, 130);
    await first.close();
    await second.close();
    expect(local.slack.topLevel()).toHaveLength(1); // the channel name resolved to its id, the post found by notification id
    expect(rec.slackAt.filter((c) => c.minute === 5).map((c) => c.method)).toEqual(['conversations.list', 'conversations.history']);
    expect(local.slack.topLevel()[0]!.text).toContain('[RESOLVED]');
  });
});
