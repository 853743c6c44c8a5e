// The console's login: a form that asks for the API token once, checks it, and answers with the
// session cookie (HttpOnly, SameSite=Strict) the console's own forms then carry. GET and POST
// /console/login; a console write without a session is sent here (http.ts).
import { PAGE_CSS } from '../report/page-assets.js';
import type { ConsoleAnswer } from './routes.js';

export interface ConsoleLogin {
  /** The Set-Cookie value when `token` is the API token; undefined otherwise. */
  startSession(token: string): string | undefined;
}

export async function answerLogin(api: ConsoleLogin, method: string, url: URL, readBody: () => Promise<string>): Promise<ConsoleAnswer | undefined> {
  if (url.pathname !== '/console/login') return undefined;
  if (method === 'GET') return { status: 200, body: renderLogin(url.searchParams.get('note') ?? undefined) };
  if (method !== 'POST') return undefined;
  const cookie = api.startSession((new URLSearchParams(await readBody()).get('token') ?? '').trim());
  if (!cookie) return { status: 401, body: renderLogin('that is not the API token') };
  return { status: 303, body: '', headers: { location: '/?note=signed%20in', 'set-cookie': cookie } };
}

function renderLogin(note?: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in · Integration Sentinel</title><style>${PAGE_CSS}</style></head>
<body><h1>Sign in</h1>
${note ? `<p class="note" role="alert">${note.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</p>` : ''}
<p>Silences, acknowledgements and expiries need the API token: the value of SENTINEL_API_TOKEN, or the contents of the file <code>api-token</code> in the service's data_dir (the service log names it at start).</p>
<form method="post" action="/console/login">
<p><label>API token <input type="password" name="token" size="50" autocomplete="current-password" required></label></p>
<p><button type="submit">Sign in</button> <a href="/">back</a></p>
</form></body></html>`;
}
