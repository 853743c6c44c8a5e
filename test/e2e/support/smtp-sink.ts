// A real SMTP server on loopback that keeps every message Alertmanager sends, so the test sees the
// partner e-mail of an escalation step arrive. The server itself is the demo's sink (src/demo/sinks),
// the one the escalation tests use too; this only gives it the address form Alertmanager wants.
import { startSmtpSink as startLoopbackSmtpSink, type ReceivedMail } from '../../../src/demo/sinks/smtp-sink.ts';

export type { ReceivedMail };

export interface SmtpSink {
  /** host:port, as Alertmanager's smarthost wants it. */
  readonly address: string;
  readonly received: ReceivedMail[];
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const sink = await startLoopbackSmtpSink();
  return { address: `127.0.0.1:${sink.port}`, received: sink.mails, close: () => sink.close() };
}
