// `sentinel demo`'s replay of a postmortem, through the built command: the default rule pack and the
// escalation pipeline in recorded time, delivering to the demo's own Slack server and SMTP sink. The
// expectations come from the generator's ground truth for the same scenario and seed, not from the run.
import { describe, expect, it } from 'vitest';
import { DEMO_RECORDING_DAYS } from '../../src/demo/incident-replay.js';
import { DEMO_LEADS_ADDRESS, DEMO_PARTNERS } from '../../src/demo/policy.js';
import { generateRecording, type GroundTruth } from '../support/recording-generator.ts';
import { recordedMs, spawnDemo } from './spawn-demo.js';

/** The same recording the demo generates; only its ground truth is kept (the 170 MB of samples go nowhere). */
function groundTruth(scenario: 'error_code_shift' | 'query_timeout', seed: number): GroundTruth {
  return generateRecording({ scenario, seed, days: DEMO_RECORDING_DAYS, out: '/dev/null' });
}

/** Lines `[Mon 02:45] what` with their recorded time in ms. */
function arrivals(out: string, nearMs: number): { atMs: number; text: string }[] {
  return [...out.matchAll(/^\[(\w{3} \d\d:\d\d)\] (.*)$/gm)].map((m) => ({ atMs: recordedMs(m[1]!, nearMs), text: m[2]! }));
}

const MIN = 60_000;
/** Made-up patient data the demo's fake partners put in bodies, URL ids, and the placeholder secrets. */
const NEVER_PRINTED = /Jane|1984-03-07|\/patients\/\d|R-\d{4}|\b\d{3}-\d\d-\d{4}\b|demo-api-key|xoxb-|local-only/;

describe('sentinel demo replays a postmortem', () => {
  it('pages Slack for the right partner, e-mails the partner after the 15-minute timer, tells the resolve, and prints no patient data', async () => {
    const truth = groundTruth('error_code_shift', 1);
    const incident = truth.incident!;
    const partnerKey = incident.entities[0]!.partner!;
    const partner = DEMO_PARTNERS[partnerKey]!;

    const run = await spawnDemo(['--speed', 'max', '--port', '0', '--rate', '5']);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const lines = arrivals(run.out, incident.startMs);

    const page = lines.find((l) => l.text.startsWith('Slack #integrations: :rotating_light: [FIRING]'));
    expect(page?.text).toContain(`[FIRING] ${partner.name}: error code shift (${incident.description.split(' ')[2]}) since`);
    expect(page!.atMs - incident.startMs).toBeGreaterThanOrEqual(0);
    expect(page!.atMs - incident.startMs).toBeLessThanOrEqual((incident.pageWithinMinutes + 1) * MIN); // + group_wait
    // One Slack message for the incident: nothing else posted to the on-call channel.
    expect(lines.filter((l) => l.text.startsWith('Slack #integrations:'))).toHaveLength(1);

    const mails = lines.filter((l) => l.text.startsWith('e-mail to'));
    expect(mails[0]?.text).toBe(`e-mail to ${partner.email}: subject "[FIRING] ${partner.name}: error code shift (${incident.description.split(' ')[2]}) since ${page!.text.match(/since (\w{3} \d\d:\d\d)/)![1]}"`);
    expect(mails[0]!.atMs - page!.atMs).toBeGreaterThanOrEqual(15 * MIN);
    expect(mails[0]!.atMs - page!.atMs).toBeLessThanOrEqual(16 * MIN);

    const resolve = lines.find((l) => l.text.startsWith('Slack #integrations, message updated: :white_check_mark: [RESOLVED]'));
    expect(resolve?.text).toContain(partner.name);
    expect(resolve!.atMs).toBeGreaterThanOrEqual(incident.endMs);
    expect(mails.at(-1)!.text).toMatch(new RegExp(`^e-mail to ${partner.email}: subject "\\[RESOLVED\\] ${partner.name}:`));

    const closing = run.out.replace(/\s+/g, ' '); // the closing paragraph is wrapped
    expect(closing).toMatch(/Slack #integrations was paged at \w{3} \d\d:\d\d, \d+ minutes? after it started\./);
    expect(closing).toMatch(new RegExp(`${partner.email} was e-mailed at \\w{3} \\d\\d:\\d\\d, 1[56] minutes after the page`));
    expect(closing).toMatch(/the resolve reached Slack at \w{3} \d\d:\d\d\./);
    expect(run.out).not.toMatch(NEVER_PRINTED);
    // The simulated service ran beside it, as before.
    expect(run.out).toMatch(/^acme-ehr +\d+/m);
  });

  it('pages for a database operation timing out and e-mails the integrations leads after 30 minutes', async () => {
    const truth = groundTruth('query_timeout', 2);
    const incident = truth.incident!;
    const run = await spawnDemo(['--scenario', 'query_timeout', '--seed', '2', '--speed', 'max', '--port', '0', '--rate', '2']);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const lines = arrivals(run.out, incident.startMs);
    const page = lines.find((l) => /^Slack #integrations: :rotating_light: \[FIRING\] Timeouts in db operation associate_submitter since/.test(l.text));
    expect(page, run.out).toBeDefined();
    expect(page!.atMs - incident.startMs).toBeLessThanOrEqual((incident.pageWithinMinutes + 1) * MIN);
    const leads = lines.find((l) => l.text.startsWith(`e-mail to ${DEMO_LEADS_ADDRESS}: subject "[FIRING] Timeouts in db operation associate_submitter since`));
    expect(leads!.atMs - page!.atMs).toBeGreaterThanOrEqual(30 * MIN);
    expect(leads!.atMs - page!.atMs).toBeLessThanOrEqual(31 * MIN);
    expect(run.out).not.toMatch(NEVER_PRINTED);
  });

  it('with --live, keeps the service running after the replay until Ctrl-C', async () => {
    let interrupted = false;
    const run = await spawnDemo(['--live', '--speed', 'max', '--every', '1s', '--port', '0', '--rate', '5'], (out, child) => {
      // After the replay's closing paragraph, wait for one more live summary, then Ctrl-C.
      const after = out.split('In all:')[1];
      if (!interrupted && after !== undefined && /calls by partner and outcome/.test(after)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    expect(run.code).toBe(0);
    expect(interrupted).toBe(true);
    expect(run.out).toMatch(/In all: \d+ Slack calls[\s\S]*calls by partner and outcome[\s\S]*stopping…/);
  });
});
