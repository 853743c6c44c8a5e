// Alertmanager's API v2 where it costs little (api/v2/openapi.yaml of prometheus/alertmanager): GET
// /api/v2/alerts, GET/POST /api/v2/silences, GET/DELETE /api/v2/silence/{id} and GET /api/v2/status, in
// its JSON shapes, so `amtool --alertmanager.url=http://127.0.0.1:PORT` queries alerts and adds, lists
// and expires silences against `sentinel run`. The silences are the escalator's own (one store).
import { createHash } from 'node:crypto';
import type { LabelMatcher } from '../config/index.js';
import type { Escalator, SilenceView } from '../escalate/types.js';
import type { Labels } from '../model/index.js';
import { matches, MatcherError, parseMatcher } from '../policy/matchers.js';
import { parseSilenceRequest } from './silence-request.js';
import type { ServiceAlert } from './types.js';

export interface AlertmanagerApiDeps {
  now(): number;
  activeAlerts(): readonly ServiceAlert[];
  readonly escalator: Escalator;
}

export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
}

const STARTED_AT = new Date().toISOString();

/** The answer for a /api/v2/ path, or undefined when the path is not one of Alertmanager's we serve. */
export async function answerAlertmanagerApi(api: AlertmanagerApiDeps, method: string, url: URL, readBody: () => Promise<unknown>): Promise<ApiAnswer | undefined> {
  const path = url.pathname.replace(/\/+$/, '');
  const nowMs = api.now();
  if (path === '/api/v2/status' && method === 'GET') return { status: 200, body: statusBody() };
  if (path === '/api/v2/alerts' && method === 'GET') {
    const filter = readFilter(url);
    if (!filter.ok) return { status: 400, body: filter.error };
    const silences = api.escalator.silences.list(nowMs).filter((s) => s.status === 'active');
    const alerts = api.activeAlerts().map((a) => gettableAlert(a, silences, api.escalator));
    const wantSilenced = url.searchParams.get('silenced') !== 'false';
    const wantActive = url.searchParams.get('active') !== 'false';
    return {
      status: 200,
      body: alerts.filter((a) => matches(filter.matchers, a.labels) && (a.status.state === 'suppressed' ? wantSilenced : wantActive)),
    };
  }
  if (path === '/api/v2/silences' && method === 'GET') {
    const filter = readFilter(url);
    if (!filter.ok) return { status: 400, body: filter.error };
    // A silence matches a filter when its own matchers, read as labels, satisfy it (Alertmanager's rule for `=` filters).
    const list = api.escalator.silences.list(nowMs).filter((s) => filter.matchers.length === 0 || matches(filter.matchers, Object.fromEntries(s.matchers.map((m) => [m.label, m.value]))));
    return { status: 200, body: list.map(gettableSilence) };
  }
  if (path === '/api/v2/silences' && method === 'POST') {
    const body = (await readBody()) as Record<string, unknown> | undefined;
    const { id, ...rest } = body && typeof body === 'object' ? body : ({} as Record<string, unknown>);
    const parsed = parseSilenceRequest(rest, nowMs);
    if (!parsed.ok) return { status: 400, body: parsed.problems.map((p) => `${p.message}${p.fix ? ` (${p.fix})` : ''}`).join('; ') };
    // Alertmanager: a POST carrying the id of a live silence replaces it.
    if (typeof id === 'string' && id !== '') await api.escalator.silences.expire(id, nowMs);
    try {
      const created = await api.escalator.silences.create(parsed.input, nowMs);
      return { status: 200, body: { silenceID: created.id } };
    } catch (error) {
      const fix = (error as { fix?: string }).fix;
      return { status: 400, body: `${(error as Error).message}${fix ? ` (${fix})` : ''}` };
    }
  }
  const one = /^\/api\/v2\/silence\/([^/]+)$/.exec(path);
  if (one) {
    const id = decodeURIComponent(one[1]!);
    if (method === 'GET') {
      const found = api.escalator.silences.get(id, nowMs);
      return found ? { status: 200, body: gettableSilence(found) } : { status: 404, body: `silence ${id} not found` };
    }
    if (method === 'DELETE') {
      const expired = await api.escalator.silences.expire(id, nowMs);
      return expired ? { status: 200, body: {} } : { status: 404, body: `silence ${id} not found or already expired` };
    }
  }
  return undefined;
}

/** `filter=alertname="x"` (repeated), as amtool sends its matcher arguments. */
function readFilter(url: URL): { ok: true; matchers: LabelMatcher[] } | { ok: false; error: string } {
  const matchers: LabelMatcher[] = [];
  for (const text of url.searchParams.getAll('filter')) {
    try {
      matchers.push(parseMatcher(text.replace(/^\{|\}$/g, '')));
    } catch (error) {
      if (!(error instanceof MatcherError)) throw error;
      return { ok: false, error: `bad filter ${JSON.stringify(text)}: ${error.message}` };
    }
  }
  return { ok: true, matchers };
}

/** The labels an Alertmanager would hold for the alert: its entity labels, alertname, rule and severity. */
export function alertmanagerLabels(alert: ServiceAlert): Labels {
  return { ...alert.labels, alertname: alert.rule, rule: alert.rule, severity: alert.severity };
}

function gettableAlert(alert: ServiceAlert, activeSilences: readonly SilenceView[], escalator: Escalator) {
  const labels = alertmanagerLabels(alert);
  const silencedBy = activeSilences.filter((s) => matches(s.matchers, labels)).map((s) => s.id);
  const receivers = escalator.groups().filter((g) => g.firingAlertIds.includes(alert.id)).map((g) => ({ name: g.receiver }));
  return {
    labels,
    annotations: { summary: alert.summary, ...(alert.runbook ? { runbook_url: alert.runbook } : {}) },
    startsAt: alert.activeSince,
    // Alertmanager's endsAt for an active alert is a moment in the future it would resolve by; the detector resolves it explicitly.
    endsAt: '0001-01-01T00:00:00.000Z',
    updatedAt: alert.lastTransition,
    fingerprint: fingerprint(labels),
    receivers: [...new Map(receivers.map((r) => [r.name, r])).values()],
    // `unprocessed` is Alertmanager's word for an alert not yet past group_wait; a pending alert is its nearest.
    status: { state: silencedBy.length > 0 ? 'suppressed' : alert.state === 'pending' ? 'unprocessed' : 'active', silencedBy, inhibitedBy: [] as string[] },
    generatorURL: '',
  };
}

function gettableSilence(s: SilenceView) {
  return {
    id: s.id,
    status: { state: s.status },
    updatedAt: new Date(s.updatedAtMs).toISOString(),
    matchers: s.matchers.map((m) => ({ name: m.label, value: m.value, isRegex: m.op === '=~' || m.op === '!~', isEqual: m.op === '=' || m.op === '=~' })),
    startsAt: new Date(s.startsAtMs).toISOString(),
    endsAt: new Date(s.endsAtMs).toISOString(),
    createdBy: s.createdBy,
    comment: s.comment,
  };
}

function fingerprint(labels: Labels): string {
  const canonical = Object.keys(labels).sort().map((k) => `${k}\u0000${labels[k]}`).join('\u0000');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** What `amtool config show` and `amtool cluster show` read; the service is one node with no cluster. */
function statusBody() {
  return {
    cluster: { name: 'sentinel', status: 'disabled', peers: [] as unknown[] },
    versionInfo: { version: 'sentinel', revision: '', branch: '', buildUser: '', buildDate: '', goVersion: '' },
    config: { original: '# sentinel run serves this API; its configuration is sentinel.yaml\n' },
    uptime: STARTED_AT,
  };
}
