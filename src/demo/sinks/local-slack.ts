// A local Slack-compatible Web API (chat.postMessage, chat.update, conversations.list/history/replies,
// files.uploadV2's getUploadURLExternal, upload and completeUploadExternal, views.open with the
// trigger_id an interaction carried: issued by issueTrigger(), good once and for 3 seconds, as Slack's)
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

/** A modal opened with views.open: Slack's answer (with its id) and the trigger it used. */
export interface OpenedView {
  readonly id: string;
  readonly triggerId: string;
  readonly view: Record<string, unknown>;
}

/** A file shared with files.uploadV2: its bytes, and the message thread it was shared into. */
export interface StoredFile {
  readonly id: string;
  readonly filename: string;
  bytes?: Buffer;
  title?: string;
  channel?: string;
  threadTs?: string;
}

export interface LocalSlack {
  readonly url: string;
  readonly files: StoredFile[];
  readonly calls: SlackCall[];
  /** Every HTTP request, answered or failed. */
  requests: number;
  readonly messages: StoredMessage[];
  /** Modals opened, in order. */
  readonly views: OpenedView[];
  /** A trigger_id as Slack puts in an interaction payload (a click), for views.open within 3 seconds. */
  issueTrigger(): string;
  /** Answer every call with this (e.g. 503), or undefined for normal service. */
  failWith: { status: number; headers?: Record<string, string>; body?: string } | undefined;
  /** Called for every accepted call, before it is answered. */
  onCall: ((call: SlackCall) => void) | undefined;
  /** Accept the call but drop the connection before answering (the outcome is unknown to the client). */
  dropResponses: boolean;
  /** Take the request and never answer (a Slack that hangs); the connection stays open. */
  hang: boolean;
  /** Work this long on every call before acting on it; a call whose client hung up meanwhile is
   *  dropped unprocessed, as a proxy in front of a slow Slack drops it (0: answer at once). */
  delayMs: number;
  topLevel(): StoredMessage[];
  replies(ts: string): StoredMessage[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseArgs(body: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json')) return JSON.parse(body) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    try {
      out[key] = key === 'blocks' || key === 'metadata' || key === 'view' ? JSON.parse(value) : value;
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
  const triggers = new Map<string, number>();
  const fake: LocalSlack = {
    url: '',
    files: [],
    views: [],
    issueTrigger: () => {
      const id = `${seq++}.${Math.floor(Math.random() * 1e9)}.trigger`;
      triggers.set(id, Date.now());
      return id;
    },
    calls: [],
    requests: 0,
    messages: [],
    failWith: undefined,
    dropResponses: false,
    hang: false,
    delayMs: 0,
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
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch {
      return; // the client went away
    }
    fake.requests++;
    const body = raw.toString('utf8');
    const method = (req.url ?? '').replace(/^\/api\//, '').replace(/^\//, '');
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
    };
    if (fake.hang) return;
    if (fake.delayMs > 0) {
      let hungUp = false;
      res.once('close', () => (hungUp = !res.writableFinished));
      await new Promise((resolve) => setTimeout(resolve, fake.delayMs));
      if (hungUp) return;
    }
    if (fake.failWith) {
      send(fake.failWith.status, fake.failWith.body ?? 'unavailable', fake.failWith.headers);
      return;
    }
    // The upload URL files.getUploadURLExternal handed out: the bytes of the file, as Slack takes them.
    const upload = /^upload\/(F\w+)$/.exec(method);
    if (upload) {
      const file = fake.files.find((f) => f.id === upload[1]);
      if (!file) return send(404, 'no such upload');
      file.bytes = multipartFile(raw, req.headers['content-type']);
      return send(200, 'OK - ' + file.bytes.length);
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
    } else if (method === 'files.getUploadURLExternal') {
      const id = `F${seq++}`;
      fake.files.push({ id, filename: String(args.filename) });
      answer = { ok: true, upload_url: `${fake.url.replace(/\/api\/$/, '')}/api/upload/${id}`, file_id: id };
    } else if (method === 'files.completeUploadExternal') {
      const listed = (typeof args.files === 'string' ? JSON.parse(args.files) : args.files) as { id: string; title?: string }[];
      const done = listed.map((f) => fake.files.find((x) => x.id === f.id));
      if (done.some((f) => !f || !f.bytes)) answer = { ok: false, error: 'file_not_found' };
      else {
        for (const [i, f] of done.entries()) Object.assign(f!, { title: listed[i]!.title, channel: channelIdOf(String(args.channel_id)), threadTs: args.thread_ts as string | undefined });
        answer = { ok: true, files: done.map((f) => ({ id: f!.id, name: f!.filename, title: f!.title })) };
      }
    } else if (method === 'views.open') {
      answer = openView(args, triggers, fake.views, () => `V${seq++}`);
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

/** The client posts the bytes raw or as one multipart/form-data part; either way, the file's bytes. */
function multipartFile(raw: Buffer, contentType: string | undefined): Buffer {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType ?? '');
  if (!contentType?.startsWith('multipart/') || !boundary) return raw;
  const marker = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const start = raw.indexOf(marker);
  const headersEnd = raw.indexOf('\r\n\r\n', start);
  const end = raw.indexOf(marker, headersEnd);
  return raw.subarray(headersEnd + 4, end - 2);
}

const TRIGGER_LIFETIME_MS = 3_000;

/** views.open as Slack checks it: a live, unused trigger_id and a modal within Block Kit's limits. */
function openView(args: Record<string, unknown>, triggers: Map<string, number>, views: OpenedView[], nextId: () => string): unknown {
  const triggerId = typeof args.trigger_id === 'string' ? args.trigger_id : '';
  const issuedAt = triggers.get(triggerId);
  if (issuedAt === undefined) return { ok: false, error: 'invalid_trigger_id' };
  triggers.delete(triggerId);
  if (Date.now() - issuedAt > TRIGGER_LIFETIME_MS) return { ok: false, error: 'expired_trigger_id' };
  const view = args.view as { type?: string; title?: { text?: string }; blocks?: { type?: string; label?: unknown; element?: unknown }[]; private_metadata?: string; callback_id?: string } | undefined;
  const problems: string[] = [];
  if (!view || view.type !== 'modal') problems.push('view.type must be modal');
  if (!view?.title?.text || view.title.text.length > 24) problems.push('title must be 1-24 characters');
  if (!Array.isArray(view?.blocks) || view.blocks.length === 0 || view.blocks.length > 100) problems.push('blocks must be 1-100');
  if (view?.blocks?.some((b) => b.type === 'input' && (!b.label || !b.element))) problems.push('input blocks need a label and an element');
  if ((view?.private_metadata ?? '').length > 3000) problems.push('private_metadata is at most 3000 characters');
  if ((view?.callback_id ?? '').length > 255) problems.push('callback_id is at most 255 characters');
  if (problems.length > 0) return { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems } };
  const opened = { id: nextId(), triggerId, view: view as Record<string, unknown> };
  views.push(opened);
  return { ok: true, view: { id: opened.id, ...opened.view, state: { values: {} } } };
}
