import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmailSender } from '../../src/escalate/email.js';
import { emptyState, type OutboxEntry } from '../../src/escalate/state.js';
import type { EmailConfig } from '../../src/policy/types.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';

let sink: SmtpSink;
let picky: SMTPServer;
let pickyPort: number;

beforeAll(async () => {
  sink = await startSmtpSink();
  // Refuses one mailbox for good (550) and asks to come back later for another (451).
  picky = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('gone@')) return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
      if (address.address.startsWith('busy@')) return callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
      callback();
    },
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => callback());
    },
  });
  await new Promise<void>((resolve) => picky.listen(0, '127.0.0.1', () => resolve()));
  pickyPort = ((picky as unknown as { server: { address(): AddressInfo } }).server.address()).port;
});
afterAll(async () => {
  await sink.close();
  await new Promise<void>((resolve) => picky.close(() => resolve()));
});

const config = (port: number, auth = false): EmailConfig => ({
  type: 'email', to: [], toPartnerContacts: true, from: 'sentinel@clinic.example', smarthost: `127.0.0.1:${port}`,
  authUsername: auth ? 'sentinel' : undefined, authPasswordEnv: auth ? 'P' : undefined, requireTls: false, sendResolved: true,
});

function entry(to: string[], inReplyTo?: string): OutboxEntry {
  return {
    id: 'n7', integration: 'partner/email/0', receiver: 'partner', groupId: 'g-1', createdAtMs: 0, attempts: 1, nextAttemptAtMs: 0, done: [],
    payload: { kind: 'email', to, subject: '[FIRING] Elation Health: error code shift', text: 'plain body', html: '<h2>html body</h2>', messageId: '<n7.g-1@integration-sentinel>', inReplyTo },
  };
}

const ctx = { state: emptyState(), nowMs: 0, later: [], checkpoint: async () => undefined };

describe('the e-mail sender', () => {
  it('sends plain text and HTML over SMTP, logged in with the password, threaded under the first e-mail', async () => {
    const sender = createEmailSender({ config: config(sink.port, true), password: 'pw-from-env' });
    expect(await sender.deliver(entry(['ops@elation.example'], '<n1.g-1@integration-sentinel>'), ctx)).toEqual({ ok: true });
    await sender.close?.();
    const mail = sink.mails.at(-1)!;
    expect(mail.from).toBe('sentinel@clinic.example');
    expect(mail.to).toEqual(['ops@elation.example']);
    expect(mail.subject).toBe('[FIRING] Elation Health: error code shift');
    expect(mail.raw).toContain('Message-ID: <n7.g-1@integration-sentinel>');
    expect(mail.raw).toContain('In-Reply-To: <n1.g-1@integration-sentinel>');
    expect(mail.raw).toMatch(/Content-Type: multipart\/alternative/);
    expect(mail.decoded).toContain('plain body');
    expect(mail.decoded).toContain('<h2>html body</h2>');
    expect(sink.auths.at(-1)).toEqual({ username: 'sentinel', password: 'pw-from-env' });
  });

  it('gives up on a mailbox the server refuses for good, and retries one it defers', async () => {
    const sender = createEmailSender({ config: config(pickyPort) });
    expect(await sender.deliver(entry(['gone@elation.example']), ctx)).toMatchObject({ ok: false, permanent: true });
    const deferred = await sender.deliver(entry(['busy@elation.example']), ctx);
    expect(deferred).toMatchObject({ ok: false });
    expect(deferred.ok === false && deferred.permanent).toBeFalsy();
    await sender.close?.();
  });

  it('retries when the SMTP server cannot be reached', async () => {
    const sender = createEmailSender({ config: config(1), timeoutMs: 2000 });
    const outcome = await sender.deliver(entry(['ops@elation.example']), ctx);
    expect(outcome).toMatchObject({ ok: false });
    expect(outcome.ok === false && outcome.permanent).toBeFalsy();
  });
});
