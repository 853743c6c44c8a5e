// Who may change the service. Every write (POST, DELETE) needs the API token (api-token.ts): as
// `Authorization: Bearer <token>` from scripts, curl and amtool, or as the console's session cookie that
// its login form hands out after checking the token. No write is taken from another site's web page: a
// browser marks its requests (Origin, Sec-Fetch-Site), and such a request must come from the service's
// own origin and say application/json, so a page cannot create silences with a text/plain "simple"
// request that skips CORS. Without the bearer token, writes need a loopback (or the listen) Host too, so
// a DNS-rebound name cannot reach them.
import type { IncomingHttpHeaders } from 'node:http';
import { tokenMatches } from './console-session.js';

export type WriteVerdict = { readonly ok: true } | { readonly ok: false; readonly status: 401 | 403 | 415; readonly message: string; readonly fix: string };

export interface WriteGuardOptions {
  /** The token writes must carry (SENTINEL_API_TOKEN, or the one kept in data_dir/api-token). */
  readonly token: string;
  /** The configured listen host, accepted as a Host besides the loopback names. */
  readonly listenHost: string;
  /** The endpoint reads a JSON body. */
  readonly json: boolean;
  /** Whether the request's Cookie header holds a live console session. */
  readonly hasSession: (cookieHeader: string | undefined) => boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export const TOKEN_FIX = 'send Authorization: Bearer <token>: the value of SENTINEL_API_TOKEN, or the contents of <data_dir>/api-token when it is not set; in the console, log in at /console/login';

/** The checks every request from a browser passes, writes and the console's login alike. */
export function checkBrowser(headers: IncomingHttpHeaders, json: boolean): WriteVerdict {
  const host = headers.host ?? '';
  const origin = headers.origin;
  const site = headers['sec-fetch-site'];
  if (origin === undefined && site === undefined) return { ok: true };
  let originHost: string | undefined;
  try {
    originHost = origin === undefined || origin === 'null' ? undefined : new URL(origin).host;
  } catch {
    originHost = undefined;
  }
  if ((origin !== undefined && originHost !== host) || (site !== undefined && site !== 'same-origin' && site !== 'none')) {
    return { ok: false, status: 403, message: `cross-site request refused (Origin ${JSON.stringify(origin ?? '')}, Host ${JSON.stringify(host)})`, fix: 'call the API from a script or curl, not from a web page' };
  }
  const type = (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (json && type !== 'application/json') {
    return { ok: false, status: 415, message: `a browser request must send content-type application/json, not ${JSON.stringify(type)}`, fix: 'send the body as application/json' };
  }
  return { ok: true };
}

export function checkWrite(headers: IncomingHttpHeaders, options: WriteGuardOptions): WriteVerdict {
  const browser = checkBrowser(headers, options.json);
  if (!browser.ok) return browser;
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
  if (bearer !== undefined) {
    if (tokenMatches(bearer, options.token)) return { ok: true };
    return { ok: false, status: 401, message: 'the API token given is not the right one', fix: TOKEN_FIX };
  }
  if (!loopbackHost(headers.host ?? '', options.listenHost)) {
    return { ok: false, status: 403, message: `write refused for Host ${JSON.stringify(headers.host ?? '')}`, fix: 'send the API token as Authorization: Bearer <token> to write under other host names, or call the loopback address' };
  }
  // A session cookie counts only with a browser's same-origin marks (checked above), never alone.
  const fromBrowser = headers.origin !== undefined || headers['sec-fetch-site'] !== undefined;
  if (fromBrowser && options.hasSession(headers.cookie)) return { ok: true };
  return { ok: false, status: 401, message: 'this write needs the API token', fix: TOKEN_FIX };
}

function loopbackHost(host: string, listenHost: string): boolean {
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
  return LOOPBACK.has(name) || name === listenHost;
}
