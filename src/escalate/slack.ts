// Slack receiver: one message per alert group, posted once (its ts remembered in the durable state),
// then updated in place with chat.update; each change is also a reply in the message's thread.
// The WebClient never retries by itself (retries: 0, rate limits rejected): the outbox owns retries, so
// a 30-minute outage neither blocks the service nor sends anything twice.
import { LogLevel, WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError, WebClient, type Logger } from '@slack/web-api';
import { uploadChart } from './chart-delivery.js';
import type { DeliveryContext, DeliveryOutcome, Sender } from './outbox.js';
import { nflogKey, type OutboxEntry, type SlackMessageRef, type SlackPayload } from './state.js';
import type { SlackConfig } from '../policy/types.js';

/** Errors after which resending the same request cannot succeed. */
const PERMANENT = new Set([
  'channel_not_found', 'not_in_channel', 'is_archived', 'invalid_blocks', 'invalid_arguments',
  'msg_too_long', 'no_text', 'cant_update_message', 'edit_window_closed', 'invalid_metadata_format',
]);

const METADATA_EVENT = 'integration_sentinel_notification';

export interface SlackSenderOptions {
  readonly config: SlackConfig;
  /** The bot token (read from the env var the policy names); kept only inside the WebClient. */
  readonly token: string;
  /** Per-request timeout, so a hung Slack cannot stall the escalator's tick. */
  readonly timeoutMs?: number;
}

export function createSlackSender(options: SlackSenderOptions): Sender {
  const closing = new AbortController();
  // One WebClient per delivery: its fetch carries that delivery's deadline (and the sender's close), so
  // at the deadline the call in flight is aborted (its connection closed before Slack answers) and no
  // later part of the delivery is sent; an abandoned attempt cannot land after it was counted failed.
  const clientFor = (signal: AbortSignal | undefined): WebClient =>
    new WebClient(options.token, {
      slackApiUrl: options.config.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: options.timeoutMs ?? 10_000,
      logger: silentLogger(),
      logLevel: LogLevel.ERROR,
      fetch: (url, init) => {
        const signals = [closing.signal, ...(signal ? [signal] : []), ...(init?.signal ? [init.signal as AbortSignal] : [])];
        return fetch(url as string, { ...(init as RequestInit), signal: AbortSignal.any(signals) }) as never;
      },
    });
  return {
    async deliver(entry: OutboxEntry, ctx: DeliveryContext): Promise<DeliveryOutcome> {
      try {
        await deliverParts(clientFor(ctx.signal), entry, entry.payload as SlackPayload, ctx);
        return { ok: true };
      } catch (error) {
        return classify(error);
      }
    },
    async close(): Promise<void> {
      closing.abort(new Error('escalator closing'));
    },
  };
}

async function deliverParts(client: WebClient, entry: OutboxEntry, payload: SlackPayload, ctx: DeliveryContext): Promise<void> {
  const key = nflogKey(entry.groupId, entry.integration);
  let ref: SlackMessageRef | undefined = ctx.state.slackMessages[key];
  const metadata = { event_type: METADATA_EVENT, event_payload: { group_id: entry.groupId, notification_id: entry.id } };
  if (payload.notice) {
    // In the group's thread when it has a message here, else on its own; the group's message stays.
    const found = entry.uncertain ? await findPosted(client, ref?.channel ?? payload.channel, ref?.ts, entry) : undefined;
    if (!found) await client.chat.postMessage({ channel: ref?.channel ?? payload.channel, thread_ts: ref?.ts, text: payload.text, blocks: payload.blocks as never, metadata });
    entry.done.push('notice');
    return;
  }
  if (ref && !entry.done.includes('update') && !entry.done.includes('post')) {
    // During an outage several updates queue up; only the newest content matters to the reader.
    const superseded = ctx.later.some((later) => later.groupId === entry.groupId && later.payload.kind === 'slack');
    try {
      if (!superseded) await client.chat.update({ channel: ref.channel, ts: ref.ts, text: payload.text, blocks: payload.blocks as never });
      entry.done.push('update');
      await ctx.checkpoint();
    } catch (error) {
      // Someone deleted the group's message: post a fresh one below rather than retrying forever.
      if (!(error instanceof WebAPIPlatformError && error.data.error === 'message_not_found')) throw error;
      delete ctx.state.slackMessages[key];
      ref = undefined;
    }
  }
  if (!ref) {
    if (entry.uncertain) {
      const channelId = await resolveChannelId(client, payload.channel, ctx.state.slackChannelIds);
      ref = channelId ? await findPosted(client, channelId, undefined, entry) : undefined;
    }
    if (!ref) {
      const posted = await client.chat.postMessage({ channel: payload.channel, text: payload.text, blocks: payload.blocks as never, metadata });
      ref = { channel: posted.channel ?? payload.channel, ts: posted.ts! };
      if (posted.channel) ctx.state.slackChannelIds[payload.channel] = posted.channel;
    }
    ctx.state.slackMessages[key] = ref;
    entry.done.push('post');
    entry.uncertain = false;
    await ctx.checkpoint();
  }
  if (payload.reply !== undefined && !entry.done.includes('reply')) {
    const found = entry.uncertain ? await findPosted(client, ref.channel, ref.ts, entry) : undefined;
    if (!found) await client.chat.postMessage({ channel: ref.channel, thread_ts: ref.ts, text: payload.reply, metadata });
    entry.done.push('reply');
    entry.uncertain = false;
    await ctx.checkpoint();
  }
  if (payload.chart !== undefined && !entry.done.includes('chart')) {
    await uploadChart(client, ref, payload.chart);
    entry.done.push('chart');
    await ctx.checkpoint();
  }
}

/** conversations.history wants a channel id; a policy may name the channel (`#integrations-oncall`).
 *  Learned from earlier posts, else looked up once (needs channels:read / groups:read). */
async function resolveChannelId(client: WebClient, channel: string, known: Record<string, string>): Promise<string | undefined> {
  if (!channel.startsWith('#')) return channel;
  if (known[channel]) return known[channel];
  const name = channel.slice(1);
  try {
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const answer = await client.conversations.list({ types: 'public_channel,private_channel', exclude_archived: true, limit: 1000, cursor });
      const found = answer.channels?.find((c) => c.name === name);
      if (found?.id) {
        known[channel] = found.id;
        return found.id;
      }
      cursor = answer.response_metadata?.next_cursor;
      if (!cursor) return undefined;
    }
  } catch {
    // No scope, or Slack unreachable: the caller posts (a duplicate is possible only after a crash).
  }
  return undefined;
}

/** After an attempt whose outcome is unknown, look for the message carrying this notification's id
 *  (in the channel, or in the thread) so a retry never posts it twice. Best effort: without the
 *  history scope the lookup fails and we post. */
async function findPosted(client: WebClient, channel: string, threadTs: string | undefined, entry: OutboxEntry): Promise<SlackMessageRef | undefined> {
  try {
    const oldest = String(Math.floor(entry.createdAtMs / 1000) - 3600);
    const answer = threadTs
      ? await client.conversations.replies({ channel, ts: threadTs, include_all_metadata: true, limit: 200 })
      : await client.conversations.history({ channel, oldest, include_all_metadata: true, limit: 200 });
    // conversations.replies lists the thread's parent first: posted by this same notification, it is
    // not the reply being looked for.
    const match = answer.messages?.find((m) => m.ts !== threadTs && (m.metadata?.event_payload as { notification_id?: string } | undefined)?.notification_id === entry.id);
    return match?.ts ? { channel, ts: match.ts } : undefined;
  } catch {
    return undefined;
  }
}

function classify(error: unknown): DeliveryOutcome {
  if (error instanceof WebAPIRateLimitedError) {
    return { ok: false, error: `rate limited, retry after ${error.retryAfter}s`, retryAfterMs: error.retryAfter * 1000 };
  }
  if (error instanceof WebAPIPlatformError) {
    const code = error.data.error;
    return { ok: false, error: `slack answered ${code}`, permanent: PERMANENT.has(code) };
  }
  if (error instanceof WebAPIHTTPError) {
    return { ok: false, error: `slack answered HTTP ${error.statusCode}` };
  }
  if (error instanceof WebAPIRequestError) {
    return { ok: false, error: `slack unreachable: ${error.original.message}`, uncertain: true };
  }
  return { ok: false, error: (error as Error).message, uncertain: true };
}

/** The WebClient logs request bodies at debug level; ours stays quiet (we log delivery outcomes ourselves). */
function silentLogger(): Logger {
  const noop = (): void => undefined;
  return { debug: noop, info: noop, warn: noop, error: noop, setLevel: noop, getLevel: () => LogLevel.ERROR, setName: noop };
}
