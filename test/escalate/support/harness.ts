// Shared set-up for escalation tests: a local Slack, a real SMTP server, a policy pointing at them, and a
// driver that replays events minute by minute in simulated time and tags what arrived with the minute.
import type { AlertEvent } from '../../../src/detect/types.ts';
import { createEscalator } from '../../../src/escalate/escalator.ts';
import { loadPolicyFile } from '../../../src/escalate/policy.ts';
import type { Escalator } from '../../../src/escalate/types.ts';
import { memoryStore } from '../../../src/store/file-store.ts';
import type { DurableStore } from '../../../src/store/types.ts';
import { MINUTE, T0 } from './incident.ts';
import { TEST_ENV } from './policy.ts';
import type { FakeSlack } from './slack-server.ts';
import type { SmtpSink } from './smtp-sink.ts';

export interface Arrival {
  readonly minute: number;
  readonly method: string;
  readonly threadTs?: string;
  readonly text: string;
}

export async function escalatorFor(policyFile: string, store: DurableStore = memoryStore(), log: (line: string) => void = () => undefined): Promise<Escalator> {
  const loaded = await loadPolicyFile(policyFile);
  if (!loaded.ok) throw new Error(`test policy must load: ${JSON.stringify(loaded.diagnostics)}`);
  return createEscalator({ policy: loaded.value, store, env: TEST_ENV, log });
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
