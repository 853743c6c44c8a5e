// A local Slack-compatible Web API (chat.postMessage, chat.update, conversations.list/history/replies)
// that records every call the real @slack/web-api client makes and keeps the messages, threads
// included. Tests point `slack_api_url` at it and check the exact calls; `sentinel demo` can print what
// arrives (`onCall`). It can be told to fail (503, 429 Retry-After), to drop answers, or to hang.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  readonly method: string;
  readonly args: Record<string, unknown>;
  readonly authorization: string | undefined;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown;
  threadTs?: string;
  metadata?: unknown;
}

export interface LocalSlack {
  readonly url: string;
  readonly calls: SlackCall[];
  /** Every HTTP request, answered or failed. */
  requests: number;
  readonly messages: StoredMessage[];
  /** Answer every call with this (e.g. 503), or undefined for normal service. */
  failWith: { status: number; headers?: Record<string, string>; body?: string } | undefined;
  /** Called for every accepted call, before it is answered. */
  onCall: ((call: SlackCall) => void) | undefined;
  /** Accept the call but drop the connection before answering (the outcome is unknown to the client). */
  dropResponses: boolean;
  /** Take the request and never answer (a Slack that hangs); the connection stays open. */
  hang: boolean;
  topLevel(): StoredMessage[];
  replies(ts: string): StoredMessage[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseArgs(body: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json')) return JSON.parse(body) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    try {
      out[key] = key === 'blocks' || key === 'metadata' ? JSON.parse(value) : value;
    } catch {
      out[key] = value;
    }
  }
  return out;
}

export interface LocalSlackOptions {
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
}

export async function startLocalSlack(options: LocalSlackOptions = {}): Promise<LocalSlack> {
  let seq = 1_700_000_000;
  // Slack answers with channel ids; a `#name` gets a stable id the first time it is used.
  const channels = new Map<string, string>();
  const channelIdOf = (channel: string): string => {
    if (!channel.startsWith('#')) return channel;
    const name = channel.slice(1);
    if (!channels.has(name)) channels.set(name, `C${name.toUpperCase().replace(/[^A-Z0-9]/g, '')}`);
    return channels.get(name)!;
  };
  const fake: LocalSlack = {
    url: '',
    calls: [],
    requests: 0,
    messages: [],
    failWith: undefined,
    dropResponses: false,
    hang: false,
    onCall: undefined,
    topLevel: () => fake.messages.filter((m) => m.threadTs === undefined),
    replies: (ts) => fake.messages.filter((m) => m.threadTs === ts),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // a hanging call must not hold the close
      }),
  };
  const server: Server = createServer(async (req, res) => {
    let body: string;
    try {
      body = await readBody(req);
    } catch {
      return; // the client went away
    }
    fake.requests++;
    const method = (req.url ?? '').replace(/^\/api\//, '').replace(/^\//, '');
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
    };
    if (fake.hang) return;
    if (fake.failWith) {
      send(fake.failWith.status, fake.failWith.body ?? 'unavailable', fake.failWith.headers);
      return;
    }
    let args: Record<string, unknown>;
    try {
      args = parseArgs(body, req.headers['content-type']);
    } catch {
      send(200, { ok: false, error: 'invalid_json' });
      return;
    }
    const call = { method, args, authorization: req.headers.authorization };
    fake.calls.push(call);
    let answer: unknown = { ok: false, error: 'unknown_method' };
    if (method === 'chat.postMessage') {
      const ts = `${seq++}.000100`;
      const channelId = channelIdOf(String(args.channel));
      fake.messages.push({ channel: channelId, ts, text: String(args.text), blocks: args.blocks, threadTs: args.thread_ts as string | undefined, metadata: args.metadata });
      answer = { ok: true, channel: channelId, ts };
    } else if (method === 'chat.update') {
      const message = fake.messages.find((m) => m.ts === args.ts && m.channel === args.channel);
      if (message) {
        message.text = String(args.text);
        message.blocks = args.blocks;
        answer = { ok: true, channel: message.channel, ts: message.ts };
      } else answer = { ok: false, error: 'message_not_found' };
    } else if (method === 'conversations.list') {
      answer = { ok: true, channels: [...channels].map(([name, id]) => ({ id, name })), response_metadata: { next_cursor: '' } };
    } else if (method === 'conversations.history') {
      answer = { ok: true, messages: fake.messages.filter((m) => m.channel === args.channel && !m.threadTs).map((m) => ({ ts: m.ts, text: m.text, metadata: m.metadata })) };
    } else if (method === 'conversations.replies') {
      answer = { ok: true, messages: fake.messages.filter((m) => m.channel === args.channel && (m.ts === args.ts || m.threadTs === args.ts)).map((m) => ({ ts: m.ts, text: m.text, metadata: m.metadata })) };
    }
    fake.onCall?.(call);
    if (fake.dropResponses) {
      req.socket.destroy();
      return;
    }
    send(200, answer);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, () => resolve()));
  (fake as { url: string }).url = `http://${host}:${(server.address() as AddressInfo).port}/api/`;
  return fake;
}
