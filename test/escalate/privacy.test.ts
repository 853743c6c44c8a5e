import { describe, expect, it } from 'vitest';
import { chartSvg } from '../../src/escalate/chart-png.js';
import { STATE_KEY, type ChartSpec } from '../../src/escalate/state.js';
import { memoryStore } from '../../src/store/file-store.js';
import { drive, escalatorFor, recorder, useLocalReceivers } from './support/harness.js';
import { errorCodeIncident, T0 } from './support/incident.js';
import { TEST_ENV } from './support/policy.js';

const local = useLocalReceivers();

// Identifiers a misbehaving instrumented service might leak into labels or a detector summary.
const SMUGGLED = ['123-45-6789', '123456789', 'jane.doe@mail.example', 'jane.doe', 'Jane Doe', 'MRN00123456', '00123456', '1985-04-12', '+1 (555) 867-5309', '5558675309'];

/** One alert whose untemplated path, labels and error code all carry identifiers. */
const smuggledIncident = (): ReturnType<typeof errorCodeIncident> => errorCodeIncident('elation', [
  {
    operation: 'GET /patients/123-45-6789', pendingAtMin: 0, firingAtMin: 3, resolvedAtMin: 40,
    extraLabels: { patient_name: 'Jane Doe', mrn: 'MRN00123456', error_code: '403 for jane.doe@mail.example' },
  },
]);

describe('no patient data in any message', () => {
  it('renders only allow-listed labels, scrubbed, and never the summary, in Slack calls and e-mails', async () => {
    const escalator = await escalatorFor(local.policyFile);
    const rec = recorder(local.slack, local.smtp);
    const incident = errorCodeIncident('elation', [
      {
        operation: 'GET /patients/123-45-6789', // a path the shim failed to template
        pendingAtMin: 0, firingAtMin: 3, resolvedAtMin: 40,
        extraLabels: { patient_email: 'jane.doe@mail.example', mrn: 'MRN00123456', patient_name: 'Jane Doe', error_code: '403 for MRN00123456' },
      },
      {
        operation: 'POST /patients/00123456/dob/1985-04-12', pendingAtMin: 0, firingAtMin: 3, resolvedAtMin: 40,
        extraLabels: { zone: 'call +1 (555) 867-5309', queue: 'jane.doe@mail.example' },
      },
    ]);
    for (const events of incident.values()) {
      for (let i = 0; i < events.length; i++) {
        events[i] = { ...events[i]!, summary: 'Patient Jane Doe (SSN 123-45-6789, jane.doe@mail.example, MRN 00123456) failed to sync' };
      }
    }
    await drive(rec, (e, t) => escalator.handle(e, t), incident, 0, 50);
    const groupsView = JSON.stringify(escalator.groups());
    await escalator.close();

    const slackText = JSON.stringify(local.slack.calls.map((c) => c.args));
    const mailText = local.smtp.mails.map((m) => m.decoded).join('\n');
    // The test can fail: the allowed labels do get through.
    expect(local.slack.calls.length).toBeGreaterThanOrEqual(3);
    expect(local.smtp.mails.length).toBeGreaterThanOrEqual(2);
    for (const text of [slackText, mailText]) {
      expect(text).toContain('elation');
      expect(text).toContain('GET /patients/[redacted]');
      expect(text).toContain('403 for [redacted]');
    }
    for (const secret of SMUGGLED) {
      expect(slackText, `Slack calls leak ${secret}`).not.toContain(secret);
      expect(mailText, `e-mails leak ${secret}`).not.toContain(secret);
      expect(groupsView, `API view leaks ${secret}`).not.toContain(secret);
    }
    expect(slackText).not.toContain('patient_email');
    expect(slackText).not.toContain('failed to sync'); // the free-text summary is never rendered
  });
});

describe('no patient data in summaries and explanations', () => {
  it('re-renders the rule\'s summary from allow-listed, scrubbed labels; the explanation says numbers only', async () => {
    local.slack.calls.length = 0;
    local.smtp.mails.length = 0;
    const escalator = await escalatorFor(local.policyFile);
    const rec = recorder(local.slack, local.smtp);
    const incident = smuggledIncident();
    for (const events of incident.values()) {
      for (let i = 0; i < events.length; i++) {
        events[i] = Object.assign({ ...events[i]!, summary: 'Patient Jane Doe failed to sync' }, {
          kind: 'error_code_shift',
          // A careless rule naming labels that are not allow-listed, and one that carries an identifier.
          summaryTemplate: '{{ $labels.partner }} answers {{ $labels.error_code }} on {{ $labels.operation }} for {{ $labels.patient_name }} {{ $labels.mrn }} ({{ $value | humanizePercentage }})',
          runbook: 'https://runbooks.example.com/x',
        });
      }
    }
    await drive(rec, (e, t) => escalator.handle(e, t), incident, 0, 50);
    await escalator.close();
    const slackText = JSON.stringify(local.slack.calls.map((c) => c.args));
    const mailText = local.smtp.mails.map((m) => m.decoded).join('\n');
    expect(slackText).toContain('elation answers 403 for [redacted] on GET /patients/[redacted]');
    expect(mailText).toContain('elation answers 403 for [redacted] on GET /patients/[redacted]');
    for (const secret of SMUGGLED) {
      expect(slackText, `Slack calls leak ${secret}`).not.toContain(secret);
      expect(mailText, `e-mails leak ${secret}`).not.toContain(secret);
    }
    expect(slackText).not.toContain('failed to sync');
  });
});

describe('no patient data in charts', () => {
  it('draws only the safe title and numbers: the SVG of every chart written to the outbox names no identifier', async () => {
    local.slack.calls.length = 0;
    local.smtp.mails.length = 0;
    // Every chart the escalator writes down (the outbox entry holds it until it is delivered).
    const store = memoryStore();
    const charts: ChartSpec[] = [];
    const write = store.write.bind(store);
    store.write = async (key, value) => {
      const text = typeof value === 'object' && value !== null && 'text' in value ? String((value as { text: unknown }).text) : JSON.stringify(value);
      JSON.parse(text, (k, v: unknown) => {
        if (k === 'chart' && v && typeof v === 'object' && 'points' in v && 'title' in v) charts.push(v as ChartSpec);
        return v;
      });
      return write(key, value);
    };
    const escalator = await escalatorFor(local.policyFile, store);
    const rec = recorder(local.slack, local.smtp);
    const incident = smuggledIncident();
    for (const events of incident.values()) {
      for (let i = 0; i < events.length; i++) {
        const e = events[i]!;
        const points = Array.from({ length: 20 }, (_, j) => [T0 - 60 * 60_000 + j * 5 * 60_000, 0.01 * j, 0, 0.05] as const);
        events[i] = Object.assign({ ...e, summary: 'Patient Jane Doe (MRN00123456) failed to sync' }, {
          kind: 'error_code_shift',
          summaryTemplate: '{{ $labels.partner }} answers {{ $labels.error_code }} for {{ $labels.patient_name }} {{ $labels.mrn }}',
          chart: { points, activeSinceMs: e.activeSinceMs, ...(e.state === 'resolved' ? { resolvedAtMs: e.atMs } : {}) },
        });
      }
    }
    await drive(rec, (e, t) => escalator.handle(e, t), incident, 0, 50);
    await escalator.close();
    expect(charts.length).toBeGreaterThanOrEqual(2); // the page's and the resolve's, Slack and e-mail
    for (const chart of charts) {
      const svg = await chartSvg(chart);
      expect(svg).toContain('Elation Health'); // the title (the group's safe title) is drawn: the test can fail
      for (const secret of SMUGGLED) expect(svg, `a chart leaks ${secret}`).not.toContain(secret);
      expect(svg).not.toContain('failed to sync');
    }
  }, 60_000);
});

describe('secrets', () => {
  it('uses the Slack token and SMTP password from the environment but never logs, stores or answers them', async () => {
    local.slack.calls.length = 0;
    const store = memoryStore();
    const logs: string[] = [];
    const escalator = await escalatorFor(local.policyFile, store, (line) => logs.push(line));
    const rec = recorder(local.slack, local.smtp);
    const incident = errorCodeIncident('elation', [{ operation: 'GET /patients/{id}', pendingAtMin: 0, firingAtMin: 3, resolvedAtMin: 30 }]);
    local.slack.failWith = { status: 500, body: 'boom' };
    await drive(rec, (e, t) => escalator.handle(e, t), incident, 0, 40, (m) => {
      if (m === 10) local.slack.failWith = undefined;
    });
    await escalator.silences.create({ matchers: ['partner="quest"'], endsAtMs: T0 + 86_400_000, createdBy: 'dana', comment: 'maintenance' }, T0 + 40 * 60_000);
    const nowMs = T0 + 41 * 60_000;
    const answer = await escalator.handleSlackInteraction('payload=%7B%7D', { 'x-slack-request-timestamp': String(Math.floor(nowMs / 1000)), 'x-slack-signature': 'v0=00' }, nowMs);
    await escalator.close();

    expect(local.slack.calls[0]!.authorization).toBe(`Bearer ${TEST_ENV.TEST_SLACK_TOKEN}`);
    expect(local.smtp.auths[0]).toEqual({ username: 'sentinel', password: TEST_ENV.TEST_SMTP_PASSWORD });
    expect(logs.some((l) => l.includes('failed'))).toBe(true); // the outage was logged...
    const everything = [
      JSON.stringify(await store.read(STATE_KEY)),
      logs.join('\n'),
      JSON.stringify(escalator.groups()),
      JSON.stringify(escalator.counters()),
      JSON.stringify(escalator.silences.list(nowMs)),
      JSON.stringify(answer),
      JSON.stringify(local.slack.calls.map((c) => c.args)),
      local.smtp.mails.map((m) => m.raw).join('\n'),
    ].join('\n');
    for (const secret of Object.values(TEST_ENV)) expect(everything).not.toContain(secret); // ...without a secret
  });
});
