// A real SMTP server (smtp-server) that misbehaves as partners' relays have: `stuck` answers the end of
// DATA with a `250-` continuation line every `everyMs` and never the final line (nodemailer's timeouts
// count idle time, so they never fire); `refuse` answers 550 to every recipient. Messages whose DATA
// arrived are kept in `received`, whatever the server answered, so a test can count duplicates.
import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface StuckSmtp {
  readonly port: number;
  /** Message-IDs of every message whose DATA arrived, in order, repeats included. */
  readonly received: string[];
  mode: 'stuck' | 'refuse' | 'accept';
  close(): Promise<void>;
}

export async function startStuckSmtp(options: { everyMs?: number; mode?: StuckSmtp['mode'] } = {}): Promise<StuckSmtp> {
  const everyMs = options.everyMs ?? 2_000;
  const sockets = new Map<number, Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const received: string[] = [];
  const state = { mode: options.mode ?? 'stuck' };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username });
    },
    onRcptTo(address, _session, callback) {
      if (state.mode === 'refuse') return callback(Object.assign(new Error(`mailbox ${address.address} unavailable`), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      stream.on('end', () => {
        received.push(/^Message-ID:\s*(\S+)/im.exec(raw)?.[1] ?? '?');
        if (state.mode !== 'stuck') return callback();
        // Never call back: keep the client waiting with continuation lines, as the broken relay did.
        const socket = sockets.get(session.remotePort);
        const timer = setInterval(() => socket?.writable && socket.write('250-still queueing your message\r\n'), everyMs);
        timers.add(timer);
        socket?.once('close', () => {
          clearInterval(timer);
          timers.delete(timer);
        });
      });
    },
  });
  // smtp-server hands the handlers no socket: keep each connection's, by the client's port.
  (server as unknown as { server: import('node:net').Server }).server.on('connection', (socket: Socket) => {
    if (socket.remotePort !== undefined) sockets.set(socket.remotePort, socket);
    socket.once('close', () => socket.remotePort !== undefined && sockets.delete(socket.remotePort));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = (server as unknown as { server: import('node:net').Server }).server.address() as AddressInfo;
  return Object.assign(state, {
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearInterval(t);
        for (const s of sockets.values()) s.destroy();
        server.close(() => resolve());
      }),
  }) as StuckSmtp;
}
