// A real SMTP server (smtp-server) on loopback, keeping every message it accepts. Tests assert on
// `mails`; `sentinel demo` prints each one as it arrives (`onMail`).
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  readonly from: string;
  readonly to: string[];
  readonly raw: string;
  /** Headers and bodies with quoted-printable soft breaks and escapes undone, for assertions. */
  readonly decoded: string;
  readonly subject: string;
}

export interface SmtpSink {
  readonly port: number;
  readonly mails: ReceivedMail[];
  readonly auths: { username: string; password: string }[];
  /** Called for every accepted message, after it is kept in `mails`. */
  onMail: ((mail: ReceivedMail) => void) | undefined;
  close(): Promise<void>;
}

export interface SmtpSinkOptions {
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
}

export function decodeQuotedPrintable(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function header(raw: string, name: string): string {
  const unfolded = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const match = new RegExp(`^${name}: (.*)$`, 'im').exec(unfolded);
  return match ? match[1]!.trim() : '';
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const auths: { username: string; password: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      auths.push({ username: auth.username ?? '', password: auth.password ?? '' });
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const mail: ReceivedMail = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          decoded: decodeQuotedPrintable(raw),
          subject: header(raw, 'Subject'),
        };
        mails.push(mail);
        sink.onMail?.(mail);
        callback();
      });
    },
  });
  const sink: SmtpSink = { port: 0, mails, auths, onMail: undefined, close: () => new Promise((resolve) => server.close(() => resolve())) };
  await new Promise<void>((resolve, reject) => {
    server.on('error', reject); // a port in use, say; later errors land here too and are ignored
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  (sink as { port: number }).port = ((server as unknown as { server: { address(): AddressInfo } }).server.address()).port;
  return sink;
}
