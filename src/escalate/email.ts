// E-mail receiver (nodemailer over SMTP). One message per notification; a stable Message-ID per outbox
// entry and In-Reply-To the group's first e-mail, so a partner's mail client threads the incident.
// Every message has a hard deadline (nodemailer's own timeouts count idle time only: a server that
// answers the end of DATA with `250-` continuations every few seconds would hold the send forever).
// Whether the end of DATA went out is tracked, because only then can a lost reply mean a delivered mail.
import nodemailer from 'nodemailer';
import { chartMailParts } from './chart-delivery.js';
import type { EmailConfig } from '../policy/types.js';
import type { DeliveryContext, DeliveryOutcome, Sender } from './outbox.js';
import type { EmailPayload, OutboxEntry } from './state.js';

export interface EmailSenderOptions {
  readonly config: EmailConfig;
  /** From the env var the policy names; kept only inside the transport. */
  readonly password?: string;
  /** Connect, greeting and idle time of each command (nodemailer's timeouts). */
  readonly timeoutMs?: number;
  /** The whole message, connect to the server's last reply: past it the connection is closed. */
  readonly deadlineMs?: number;
}

export function createEmailSender(options: EmailSenderOptions): Sender {
  const { config } = options;
  const [host, port] = splitHostPort(config.smarthost);
  const deadlineMs = options.deadlineMs ?? 20_000;
  const idleMs = Math.min(options.timeoutMs ?? 10_000, deadlineMs);
  /** Set when nodemailer reports the message body sent (its info line for `tnx: 'message'`). */
  let dataSent = false;
  /** The attempt in progress, so the end of DATA is written down before the reply can be lost. */
  let current: { entry: OutboxEntry; ctx: DeliveryContext } | undefined;
  const quiet = (): void => undefined;
  const logger = {
    info: (entry: unknown) => {
      if ((entry as { tnx?: string } | undefined)?.tnx !== 'message') return;
      dataSent = true;
      if (current) {
        current.entry.dataSentAtMs = current.ctx.nowMs;
        void current.ctx.checkpoint();
      }
    },
    debug: quiet, warn: quiet, error: quiet, trace: quiet, fatal: quiet, level: quiet,
  };
  const transport = nodemailer.createTransport({
    host,
    port,
    secure: config.requireTls && port === 465,
    requireTLS: config.requireTls && port !== 465,
    ignoreTLS: !config.requireTls,
    auth: config.authUsername ? { user: config.authUsername, pass: options.password ?? '' } : undefined,
    connectionTimeout: idleMs,
    greetingTimeout: idleMs,
    socketTimeout: idleMs,
    logger: logger as never,
    debug: false,
  });
  const inFlight = new Set<AbortController>();
  return {
    async deliver(entry: OutboxEntry, ctx: DeliveryContext): Promise<DeliveryOutcome> {
      const mail = entry.payload as EmailPayload;
      const abort = new AbortController();
      inFlight.add(abort);
      const timer = setTimeout(() => abort.abort(new Error(`no final answer within ${deadlineMs} ms`)), deadlineMs);
      dataSent = false;
      current = { entry, ctx };
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
          signal: abort.signal,
        });
        return { ok: true };
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        const reason = abort.signal.aborted ? `SMTP: ${(abort.signal.reason as Error).message}` : `SMTP: ${(error as Error).message}`;
        // 5xx: the server refused this message for good (bad mailbox, policy); 4xx and network: try again.
        if (code !== undefined && code >= 500) return { ok: false, error: `SMTP ${code}: ${(error as Error).message}`, permanent: true };
        if (code !== undefined) return { ok: false, error: `SMTP ${code}: ${(error as Error).message}` };
        // No reply: before the end of DATA nothing can have been delivered; after it, it may have been.
        return { ok: false, error: reason, uncertain: dataSent, afterData: dataSent };
      } finally {
        clearTimeout(timer);
        inFlight.delete(abort);
        current = undefined;
        entry.dataSentAtMs = undefined;
      }
    },
    async close(): Promise<void> {
      for (const abort of inFlight) abort.abort(new Error('escalator closing'));
      transport.close();
    },
  };
}

function splitHostPort(smarthost: string): [string, number] {
  const index = smarthost.lastIndexOf(':');
  return [smarthost.slice(0, index), Number(smarthost.slice(index + 1))];
}
