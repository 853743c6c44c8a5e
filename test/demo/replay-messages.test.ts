// The replayed error-code incident (the demo's postmortem, in-process at full speed) as a responder
// receives it: Slack messages with the rule's summary, the explanation in words, the runbook button and a
// chart PNG in the thread (files.uploadV2 into the local Slack server); the e-mail with the summary,
// the runbook link and the chart inlined (cid:). SENTINEL_EVIDENCE_DIR=dir keeps what arrived there.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayIncident } from '../../src/demo/incident-replay.js';
import type { DemoSinks } from '../../src/demo/sinks/index.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('the replayed error-code incident, as received', () => {
  it('pages with summary, explanation, runbook and a chart in the Slack thread and inline in the e-mail', async () => {
    let seen: { slack: DemoSinks['slack']; mails: DemoSinks['smtp']['mails'] } | undefined;
    await replayIncident({
      scenario: 'error_code_shift', seed: 1, speed: 'max', out: () => undefined,
      received: (sinks) => { seen = { slack: sinks.slack, mails: [...sinks.smtp.mails] }; },
    });
    const { slack, mails } = seen!;
    const page = slack.topLevel()[0]!;
    const blocks = JSON.stringify(page.blocks);
    expect(page.text).toMatch(/RESOLVED|FIRING/);
    expect(blocks).toContain('pharmacy now answers 400 to');
    expect(blocks).toMatch(/answers 400 to \d+% of calls/);
    expect(blocks).not.toMatch(/value 0\.\d{3}/);
    expect(blocks).toContain('https://runbooks.example.com/sentinel/partner-error-code-shift');

    const charts = slack.files.filter((f) => f.bytes !== undefined);
    expect(charts.length).toBeGreaterThanOrEqual(1);
    expect(charts.length).toBeLessThanOrEqual(slack.calls.filter((c) => c.method === 'chat.update' || c.method === 'chat.postMessage').length);
    for (const chart of charts) {
      expect(chart.bytes!.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      expect(slack.topLevel().map((m) => m.ts)).toContain(chart.threadTs);
      expect(chart.bytes!.length).toBeGreaterThan(3_000);
      // Vega-Lite's chart, rasterised at its own size: 640x260, a few tens of kB.
      expect([chart.bytes!.readUInt32BE(16), chart.bytes!.readUInt32BE(20)]).toEqual([640, 260]);
      expect(chart.bytes!.length).toBeLessThan(80_000);
      console.log(`chart in the thread: ${chart.filename}, ${chart.bytes!.length} bytes, "${chart.title}"`);
    }
    const mail = mails[0]!;
    expect(mail.decoded).toContain('pharmacy now answers 400 to');
    expect(mail.decoded).toContain('Runbook: https://runbooks.example.com/sentinel/partner-error-code-shift');
    expect(mail.raw).toContain('cid:chart@integration-sentinel');
    expect(mail.raw).toMatch(/Content-Type: image\/png/i);

    const dir = process.env.SENTINEL_EVIDENCE_DIR;
    if (dir) {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'slack.json'), JSON.stringify({ calls: slack.calls.map((c) => ({ method: c.method, args: c.args })), messages: slack.messages, files: slack.files.map((f) => ({ ...f, bytes: f.bytes?.length })) }, null, 2));
      for (const [i, f] of charts.entries()) await writeFile(join(dir, `chart-${i}.png`), f.bytes!);
      for (const [i, m] of mails.entries()) await writeFile(join(dir, `mail-${i}.eml`), m.raw);
    }
  }, 120_000);
});
