// The console's session cookie: after its login form checked the API token, the browser holds
// `sentinel_session=<expiry>.<HMAC of the expiry keyed by the token>` (HttpOnly, SameSite=Strict). Nothing
// is stored on the server; changing the token ends every session. Writes carrying it still pass the
// Origin/Host checks (api-guard.ts), so another site's page cannot ride on it.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'sentinel_session';
const SESSION_MS = 12 * 3_600_000;

function mac(token: string, expiresAtMs: number): string {
  return createHmac('sha256', token).update(`sentinel-console-session:${expiresAtMs}`).digest('base64url');
}

/** The Set-Cookie value for a session that starts at `nowMs` (the wall clock). */
export function sessionCookie(token: string, nowMs: number): string {
  const expiresAtMs = nowMs + SESSION_MS;
  return `${SESSION_COOKIE}=${expiresAtMs}.${mac(token, expiresAtMs)}; Path=/; Max-Age=${SESSION_MS / 1000}; HttpOnly; SameSite=Strict`;
}

/** Whether a Cookie header carries a session minted with `token` that has not expired at `nowMs`. */
export function hasSession(cookieHeader: string | undefined, token: string, nowMs: number): boolean {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, value] = part.trim().split('=', 2) as [string, string | undefined];
    if (name !== SESSION_COOKIE || !value) continue;
    const [expiry, given] = value.split('.', 2) as [string, string | undefined];
    const expiresAtMs = Number(expiry);
    if (!Number.isSafeInteger(expiresAtMs) || expiresAtMs <= nowMs || given === undefined) continue;
    const a = Buffer.from(given);
    const b = Buffer.from(mac(token, expiresAtMs));
    if (a.length === b.length && timingSafeEqual(a, b)) return true;
  }
  return false;
}

/** Constant-time comparison of a presented token with the real one. */
export function tokenMatches(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
