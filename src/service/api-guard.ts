// Who may change the service. Every write (POST, DELETE) needs the API token when SENTINEL_API_TOKEN is
// set. No write is taken from another site's web page: a browser marks its requests (Origin,
// Sec-Fetch-Site), and such a request must come from the service's own origin and say
// application/json, so a page cannot create silences with a text/plain "simple" request that skips
// CORS. Without a token, writes need a loopback Host too, so a DNS-rebound name cannot reach them.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export type WriteVerdict = { readonly ok: true } | { readonly ok: false; readonly status: 401 | 403 | 415; readonly message: string; readonly fix: string };

export interface WriteGuardOptions {
  /** The token writes must carry; undefined when SENTINEL_API_TOKEN is not set. */
  readonly token: string | undefined;
  /** The configured listen host, accepted as a Host besides the loopback names. */
  readonly listenHost: string;
  /** The endpoint reads a JSON body. */
  readonly json: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function checkWrite(headers: IncomingHttpHeaders, options: WriteGuardOptions): WriteVerdict {
  const host = headers.host ?? '';
  const origin = headers.origin;
  const site = headers['sec-fetch-site'];
  const fromBrowser = origin !== undefined || site !== undefined;
  if (fromBrowser) {
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
    if (options.json && type !== 'application/json') {
      return { ok: false, status: 415, message: `a browser request must send content-type application/json, not ${JSON.stringify(type)}`, fix: 'send the body as application/json' };
    }
  }
  if (options.token !== undefined) {
    const given = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1] ?? '';
    const a = Buffer.from(given);
    const b = Buffer.from(options.token);
    if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, status: 401, message: 'this write needs the API token', fix: 'send Authorization: Bearer <the value of SENTINEL_API_TOKEN>' };
    return { ok: true };
  }
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
  if (!LOOPBACK.has(name) && name !== options.listenHost) {
    return { ok: false, status: 403, message: `write refused for Host ${JSON.stringify(host)}`, fix: 'set SENTINEL_API_TOKEN to take writes under other host names, or call the loopback address' };
  }
  return { ok: true };
}
