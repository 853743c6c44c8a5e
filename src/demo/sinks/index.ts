// The demo's receivers on loopback: the local Slack-compatible Web API (local-slack.ts,
// the one the escalation tests use) and a real SMTP server. Both keep what arrives and call back.
import { startLocalSlack, type LocalSlack } from './local-slack.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

export type { ReceivedMail, SmtpSink } from './smtp-sink.js';

export interface DemoSinks {
  readonly slack: LocalSlack;
  readonly smtp: SmtpSink;
  close(): Promise<void>;
}

export async function startDemoSinks(host = '127.0.0.1'): Promise<DemoSinks> {
  const slack = await startLocalSlack({ host });
  let smtp: SmtpSink;
  try {
    smtp = await startSmtpSink({ host });
  } catch (error) {
    await slack.close();
    throw error;
  }
  return { slack, smtp, close: async () => void (await Promise.all([slack.close(), smtp.close()])) };
}
