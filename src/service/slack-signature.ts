// Slack's request signing (https://api.slack.com/authentication/verifying-requests-from-slack):
// HMAC-SHA256 of `v0:{timestamp}:{raw body}` with the signing secret, sent as `v0=<hex>`; requests
// older than 5 minutes are refused so a captured request cannot be replayed.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ACK_ACTION_ID } from '../escalate/format.js';

export const SLACK_SIGNATURE_WINDOW_MS = 5 * 60_000;
/** Clocks drift: a request may look this far ahead of ours; further ahead it was signed to be replayed later. */
export const SLACK_FUTURE_SKEW_MS = 30_000;

export type VerifyResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

type Headers = Readonly<Record<string, string | string[] | undefined>>;

function header(headers: Headers, name: string): string | undefined {
  const direct = headers[name] ?? Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(direct) ? direct[0] : direct;
}

export function verifySlackRequest(rawBody: string, headers: Headers, signingSecret: string, nowMs: number): VerifyResult {
  if (!signingSecret) return { ok: false, reason: 'no signing secret configured' };
  const timestamp = header(headers, 'x-slack-request-timestamp');
  const signature = header(headers, 'x-slack-signature');
  if (!timestamp || !signature) return { ok: false, reason: 'missing Slack signature headers' };
  if (!/^\d+$/.test(timestamp)) return { ok: false, reason: 'malformed timestamp' };
  const signedAtMs = Number(timestamp) * 1000;
  if (signedAtMs - nowMs > SLACK_FUTURE_SKEW_MS) return { ok: false, reason: 'request timestamp in the future (more than 30 s ahead)' };
  if (nowMs - signedAtMs > SLACK_SIGNATURE_WINDOW_MS) return { ok: false, reason: 'stale request (outside the 5-minute window)' };
  const expected = `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
  const a = Buffer.from(signature, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, reason: 'bad signature' };
  return { ok: true };
}

/** Headers Slack would send for `rawBody` (for tests, the demo's fake Slack, and documentation). */
export function signSlackRequest(rawBody: string, signingSecret: string, nowMs: number): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000));
  const signature = `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature, 'content-type': 'application/x-www-form-urlencoded' };
}

export interface AckAction {
  readonly groupId: string;
  /** Who clicked: Slack user name (or id) — staff, never patient data. */
  readonly by: string;
}

/** The Acknowledge click inside a block_actions payload (`payload=<json>` form body), if any. */
export function parseAckAction(rawBody: string): AckAction | undefined {
  const json = new URLSearchParams(rawBody).get('payload');
  if (!json) return undefined;
  let payload: {
    type?: string;
    user?: { id?: string; username?: string; name?: string };
    actions?: { action_id?: string; value?: string }[];
  };
  try {
    payload = JSON.parse(json) as typeof payload;
  } catch {
    return undefined;
  }
  if (payload.type !== 'block_actions') return undefined;
  const action = payload.actions?.find((a) => a.action_id === ACK_ACTION_ID && typeof a.value === 'string');
  if (!action) return undefined;
  const user = payload.user ?? {};
  return { groupId: action.value!, by: `${user.username ?? user.name ?? user.id ?? 'someone'} (Slack)` };
}
