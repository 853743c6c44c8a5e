// Shared set-up for escalation tests: a local Slack, a real SMTP server, a policy pointing at them, and a
// driver that replays events minute by minute in simulated time and tags what arrived with the minute.
import { afterAll, beforeAll } from 'vitest';
import type { AlertEvent } from '../../../src/detect/types.ts';
import { createEscalator } from '../../../src/escalate/escalator.ts';
import { loadPolicyFile } from '../../../src/policy/index.ts';
import type { Escalator } from '../../../src/escalate/types.ts';
import { answerSlackInteraction, slackActionReader, type InteractionResult, type SlackHeaders } from '../../../src/service/slack-interaction.ts';
import { memoryStore } from '../../../src/store/file-store.ts';
import type { DurableStore } from '../../../src/store/types.ts';
import { MINUTE, T0 } from './incident.ts';
import { TEST_ENV, writeTestPolicy, type TestPolicyOptions } from './policy.ts';
import { startFakeSlack, type FakeSlack } from './slack-server.ts';
import { startSmtpSink, type SmtpSink } from './smtp-sink.ts';

export interface Arrival {
  readonly minute: number;
  readonly method: string;
  readonly threadTs?: string;
  readonly text: string;
}

export interface LocalReceivers {
  readonly slack: FakeSlack;
  readonly smtp: SmtpSink;
  /** The test policy pointing at both; unset when the caller asked for none. */
  readonly policyFile: string;
}

/**
 * Every delivery test file started the same local Slack and SMTP sink (and a policy aimed at them) before its
 * tests and closed them after; this registers those hooks once. Pass `false` when each test writes its own policy.
 */
export function useLocalReceivers(policy: Omit<TestPolicyOptions, 'slackUrl' | 'smtpPort'> | false = {}): LocalReceivers {
  const local = {} as { slack: FakeSlack; smtp: SmtpSink; policyFile: string };
  beforeAll(async () => {
    local.slack = await startFakeSlack();
    local.smtp = await startSmtpSink();
    if (policy) local.policyFile = await writeTestPolicy({ slackUrl: local.slack.url, smtpPort: local.smtp.port, ...policy });
  });
  afterAll(async () => {
    await local.slack.close();
    await local.smtp.close();
  });
  return local;
}

/** The escalator, and Slack's interactivity endpoint as the service answers it (signature checked there). */
export interface TestEscalator extends Escalator {
  handleSlackInteraction(rawBody: string, headers: SlackHeaders, nowMs: number): Promise<InteractionResult>;
}

export async function escalatorFor(policyFile: string, store: DurableStore = memoryStore(), log: (line: string) => void = () => undefined): Promise<TestEscalator> {
  const loaded = await loadPolicyFile(policyFile);
  if (!loaded.ok) throw new Error(`test policy must load: ${JSON.stringify(loaded.diagnostics)}`);
  const escalator = await createEscalator({ policy: loaded.value, store, env: TEST_ENV, log });
  const read = slackActionReader(() => TEST_ENV[loaded.value.slackSigningSecretEnv as keyof typeof TEST_ENV] ?? '');
  return Object.assign(escalator, {
    handleSlackInteraction: (rawBody: string, headers: SlackHeaders, nowMs: number) => answerSlackInteraction(escalator, read, { rawBody, headers, nowMs }, log),
  });
}

export interface Recorder {
  readonly slackAt: Arrival[];
  readonly mailAt: { minute: number; subject: string }[];
  /** Runs `work` as minute `m` and tags the Slack calls and mails it caused. */
  at(m: number, work: () => Promise<unknown>): Promise<void>;
}

export function recorder(slack: FakeSlack, smtp: SmtpSink): Recorder {
  const rec: Recorder = {
    slackAt: [],
    mailAt: [],
    async at(m, work) {
      const callsBefore = slack.calls.length;
      const mailsBefore = smtp.mails.length;
      await work();
      for (const c of slack.calls.slice(callsBefore)) rec.slackAt.push({ minute: m, method: c.method, threadTs: c.args.thread_ts as string | undefined, text: String(c.args.text) });
      for (const mail of smtp.mails.slice(mailsBefore)) rec.mailAt.push({ minute: m, subject: mail.subject });
    },
  };
  return rec;
}

/** Drives `handle` once per simulated minute from `from` to `to`, with that minute's events. */
export async function drive(rec: Recorder, handle: (events: readonly AlertEvent[], nowMs: number) => Promise<void>, incident: Map<number, AlertEvent[]>, from: number, to: number, beforeMinute?: (m: number) => void | Promise<void>): Promise<void> {
  for (let m = from; m <= to; m++) {
    await beforeMinute?.(m);
    await rec.at(m, () => handle(incident.get(m) ?? [], T0 + m * MINUTE));
  }
}
