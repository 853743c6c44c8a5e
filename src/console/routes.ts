// The console's routes: GET / (the page), GET /console/silence/new?alert=ID (a silence form with the
// alert's labels filled in), and plain HTML form posts that act and redirect back (303) so they work
// with JavaScript off: POST /console/silences, /console/silences/{id}/expire, /console/alerts/{id}/ack.
// Each calls the escalator exactly as the JSON API does (docs/service.md lists both). The posts need the
// session cookie of GET/POST /console/login (login.ts); http.ts checks it with the API's other writes.
import { answerLogin } from './login.js';
import { parseSilenceDuration } from '../escalate/silence-modal.js';
import { renderConsolePage, renderSilenceForm, renderProblem } from './page.js';
import type { ConsoleApi } from './types.js';

export interface ConsoleAnswer {
  readonly status: number;
  readonly body: string;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
}

const DURATIONS: Record<string, number> = { '1h': 3_600_000, '4h': 4 * 3_600_000, '24h': 24 * 3_600_000, '7d': 7 * 86_400_000 };

export async function answerConsole(api: ConsoleApi, method: string, url: URL, readBody: () => Promise<string>, signedIn = false): Promise<ConsoleAnswer | undefined> {
  const path = url.pathname;
  if (path === '/' && method === 'GET') return { status: 200, body: renderConsolePage(api, url.searchParams.get('note') ?? undefined, signedIn) };
  if (path === '/console/login') return answerLogin(api, method, url, readBody);
  if (path === '/console/silence/new' && method === 'GET') {
    const alert = api.activeAlerts().find((a) => a.id === url.searchParams.get('alert'));
    const matchers = alert ? [`alertname=${JSON.stringify(alert.rule)}`, ...Object.entries(alert.labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`)] : [];
    return { status: 200, body: renderSilenceForm(matchers, alert?.id) };
  }
  if (method !== 'POST') return undefined;
  const form = new URLSearchParams(await readBody());
  const nowMs = api.now();
  if (path === '/console/silences') {
    const matchers = (form.get('matchers') ?? '').split('\n').map((l) => l.trim()).filter((l) => l !== '');
    // A written duration ("or for 90m") wins over the preset choice.
    const written = (form.get('for') ?? '').trim();
    const parsed = written !== '' ? parseSilenceDuration(written) : undefined;
    if (parsed && !parsed.ok) return { status: 400, body: renderProblem(parsed.message, 'write the duration as in rules (90m, 2h30m, 3d), or pick one of the choices') };
    const duration = parsed?.ok ? parsed.ms : DURATIONS[form.get('duration') ?? ''];
    if (duration === undefined) return { status: 400, body: renderProblem('choose a duration', 'pick 1h, 4h, 24h or 7d, or write one such as 90m') };
    try {
      const created = await api.escalator.silences.create({ matchers, endsAtMs: nowMs + duration, createdBy: form.get('createdBy') ?? '', comment: form.get('comment') ?? '' }, nowMs);
      return back(`silence ${created.id} created`);
    } catch (error) {
      return { status: 400, body: renderProblem((error as Error).message, (error as { fix?: string }).fix) };
    }
  }
  const expire = /^\/console\/silences\/([^/]+)\/expire$/.exec(path);
  if (expire) {
    const id = decodeURIComponent(expire[1]!);
    return (await api.escalator.silences.expire(id, nowMs)) ? back(`silence ${id} expired`) : { status: 404, body: renderProblem(`no active silence ${id}`, 'it may have ended already') };
  }
  const ack = /^\/console\/alerts\/([^/]+)\/ack$/.exec(path);
  if (ack) {
    const id = decodeURIComponent(ack[1]!);
    const by = (form.get('by') ?? '').trim() || 'console';
    const result = await api.escalator.ack(id, by, nowMs);
    return result.ok ? back(`acknowledged by ${by}`) : { status: 404, body: renderProblem('that alert is not paged yet (or already resolved)', 'an alert can be acknowledged once it fires and its group is notified') };
  }
  return undefined;
}

function back(note: string): ConsoleAnswer {
  return { status: 303, body: '', headers: { location: `/?note=${encodeURIComponent(note)}` } };
}
