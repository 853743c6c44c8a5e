// E-mail receiver (nodemailer over SMTP). One message per notification; a stable Message-ID per outbox
// entry and In-Reply-To the group's first e-mail, so a partner's mail client threads the incident.
import nodemailer from 'nodemailer';
import { chartMailParts } from './chart-delivery.js';
import type { DeliveryOutcome, Sender } from './outbox.js';
import type { EmailPayload, OutboxEntry } from './state.js';
import type { EmailConfig } from '../policy/types.js';

export interface EmailSenderOptions {
  readonly config: EmailConfig;
  /** From the env var the policy names; kept only inside the transport. */
  readonly password?: string;
  readonly timeoutMs?: number;
}

export function createEmailSender(options: EmailSenderOptions): Sender {
  const { config } = options;
  const [host, port] = splitHostPort(config.smarthost);
  const transport = nodemailer.createTransport({
    host,
    port,
    secure: config.requireTls && port === 465,
    requireTLS: config.requireTls && port !== 465,
    ignoreTLS: !config.requireTls,
    auth: config.authUsername ? { user: config.authUsername, pass: options.password ?? '' } : undefined,
    connectionTimeout: options.timeoutMs ?? 10_000,
    greetingTimeout: options.timeoutMs ?? 10_000,
    socketTimeout: options.timeoutMs ?? 10_000,
    logger: false,
    debug: false,
  });
  return {
    async deliver(entry: OutboxEntry): Promise<DeliveryOutcome> {
      const mail = entry.payload as EmailPayload;
      try {
        const chart = await chartMailParts(mail);
        await transport.sendMail({
          from: config.from,
          to: [...mail.to],
          subject: mail.subject,
          text: mail.text,
          html: chart.html,
          attachments: chart.attachments,
          messageId: mail.messageId,
          inReplyTo: mail.inReplyTo,
          references: mail.inReplyTo ? [mail.inReplyTo] : undefined,
          headers: { 'X-Sentinel-Group': entry.groupId },
        });
        return { ok: true };
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        // 5xx: the server refused this message for good (bad mailbox, policy); 4xx and network: try again.
        if (code !== undefined && code >= 500) return { ok: false, error: `SMTP ${code}: ${(error as Error).message}`, permanent: true };
        return { ok: false, error: `SMTP: ${(error as Error).message}`, uncertain: code === undefined };
      }
    },
    async close(): Promise<void> {
      transport.close();
    },
  };
}

function splitHostPort(smarthost: string): [string, number] {
  const index = smarthost.lastIndexOf(':');
  return [smarthost.slice(0, index), Number(smarthost.slice(index + 1))];
}
