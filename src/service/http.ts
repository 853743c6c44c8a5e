// The service's HTTP face, on node:http: /metrics, /healthz, the JSON API, Slack's interactivity
// endpoint and /-/reload. Routing only: each answer comes from the ServiceApi the running service provides.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Diagnostic } from '../config/index.js';
import type { Escalator } from '../escalate/types.js';
import { answerConsole } from '../console/routes.js';
import type { LastReload, RuleInfo } from '../console/types.js';
import type { AlertChart, ResolvedChart } from '../escalate/chart-history.js';
import { answerAlertmanagerApi } from './alertmanager-api.js';
import type { Logger } from './log.js';
import { scrub } from './log.js';
import { checkBrowser, checkWrite } from './api-guard.js';
import type { OtlpReceiver } from './otlp-receiver.js';
import type { TargetStatus } from './scrape-pool.js';
import { redactSecrets } from './secrets.js';
import { parseSilenceRequest } from './silence-request.js';
import { answerSlackInteraction, type ReadSlackAction } from './slack-interaction.js';
import type { ServiceAlert } from './types.js';

export type ReloadResult = { ok: true } | { ok: false; diagnostics: readonly Diagnostic[]; errors: readonly string[] };
export type { LastReload, RuleInfo } from '../console/types.js';

export interface ServiceApi {
  now(): number;
  metricsText(): string;
  activeAlerts(): readonly ServiceAlert[];
  targets(): readonly TargetStatus[];
  reload(): Promise<ReloadResult>;
  /** The escalator serialises its own mutations; reads are plain. The API does not wait for an
   *  evaluation, so Slack's button is answered within its 3 seconds even while one runs. */
  readonly escalator: Escalator;
  /** Checks a Slack request's signature and reads the action it carries. */
  readonly readSlackAction: ReadSlackAction;
  /** The clock Slack's request timestamps are checked against (the wall clock under --clock-speed). */
  wallNow(): number;
  /** Values scrubbed from every answer, whatever put them there. */
  readonly secrets: readonly string[];
  /** The token every write must carry (SENTINEL_API_TOKEN, or the one kept in data_dir/api-token). */
  apiToken(): string;
  /** Whether a Cookie header holds a live console session (console-session.ts). */
  hasSession(cookieHeader: string | undefined): boolean;
  /** The console login's Set-Cookie value when `token` is the API token. */
  startSession(token: string): string | undefined;
  /** The configured listen host (accepted as a Host for writes besides loopback names). */
  readonly listenHost: string;
  /** `POST /v1/metrics` (OTLP/HTTP) when the service takes pushed metrics. */
  readonly otlp?: OtlpReceiver;
  /** What the console page (src/console/) shows besides alerts and targets. */
  rules(): readonly RuleInfo[];
  lastReload(): LastReload | undefined;
  alertChart(id: string): AlertChart | undefined;
  resolvedCharts?(): readonly ResolvedChart[];
}

const JSON_BODY_LIMIT = 64 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fix?: string,
  ) {
    super(message);
  }
}

export function createHttpServer(api: ServiceApi, log: Logger): Server {
  return createServer((req, res) => {
    handle(api, req, res, log).catch((error: unknown) => {
      if (error instanceof HttpError) {
        send(api, res, error.status, { error: error.message, fix: error.fix });
        return;
      }
      log.error('http_handler_failed', { method: req.method, path: req.url?.split('?')[0], error: (error as Error).message });
      send(api, res, 500, { error: 'internal error; see the service log' });
    });
  });
}

async function handle(api: ServiceApi, req: IncomingMessage, res: ServerResponse, log: Logger): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sentinel.invalid');
  const path = url.pathname;
  const method = req.method ?? 'GET';

  if (path === '/healthz') return sendText(api, res, 200, 'ok\n');
  if (path === '/console/login' && method === 'POST') {
    // The login checks the token itself; it still must come from the console's own page.
    const verdict = checkBrowser(req.headers, false);
    if (!verdict.ok) throw new HttpError(verdict.status, verdict.message, verdict.fix);
  } else if ((method === 'POST' || method === 'DELETE') && path !== '/slack/interactivity' && path !== '/v1/metrics') {
    // Slack's endpoint has its own check (the request signature), OTLP pushes are data, not control
    // (their exporters are configured apart); every other write has this one.
    const json = path === '/api/silences' || /^\/api\/alerts\/[^/]+\/ack$/.test(path);
    const verdict = checkWrite(req.headers, { token: api.apiToken(), listenHost: api.listenHost, json, hasSession: (cookie) => api.hasSession(cookie) });
    if (!verdict.ok && verdict.status === 401 && path.startsWith('/console/')) {
      // A console form posted without a session: to the login form, which explains where the token is.
      res.setHeader('location', '/console/login?note=sign%20in%20first');
      return sendText(api, res, 303, '');
    }
    if (!verdict.ok) throw new HttpError(verdict.status, verdict.message, verdict.fix);
  }
  if (path === '/metrics' && method === 'GET') {
    res.setHeader('content-type', 'text/plain; version=0.0.4; charset=utf-8');
    return sendText(api, res, 200, api.metricsText());
  }
  if (path === '/api/alerts' && method === 'GET') {
    const groups = api.escalator.groups();
    return send(api, res, 200, { alerts: api.activeAlerts(), groups });
  }
  if (path === '/api/targets' && method === 'GET') return send(api, res, 200, { targets: api.targets() });
  if (path === '/v1/metrics' && method === 'POST' && api.otlp) return api.otlp.handle(req, res, api.now());
  if (path === '/' || path.startsWith('/console/')) {
    const page = await answerConsole(api, method, url, () => readRaw(req, JSON_BODY_LIMIT), api.hasSession(req.headers.cookie));
    if (page) {
      for (const [name, value] of Object.entries(page.headers ?? {})) res.setHeader(name, value);
      res.setHeader('content-type', page.contentType ?? 'text/html; charset=utf-8');
      return sendText(api, res, page.status, page.body);
    }
  }
  if (path.startsWith('/api/v2/')) {
    const answer = await answerAlertmanagerApi(api, method, url, () => readJson(req, false));
    if (answer) return send(api, res, answer.status, answer.body);
  }

  const ack = /^\/api\/alerts\/([^/]+)\/ack$/.exec(path);
  if (ack && method === 'POST') {
    const id = decodeId(ack[1]!);
    const body = await readJson(req, true);
    const by = typeof (body as { by?: unknown } | undefined)?.by === 'string' ? (body as { by: string }).by : 'api';
    const result = await api.escalator.ack(id, by, api.now());
    if (!result.ok) throw new HttpError(404, `no alert or alert group ${JSON.stringify(id)}`, 'use an id from GET /api/alerts (alerts[].id or groups[].id)');
    return send(api, res, 200, { acknowledged: result.groupId, by });
  }

  if (path === '/api/silences') {
    if (method === 'GET') return send(api, res, 200, { silences: api.escalator.silences.list(api.now()) });
    if (method === 'POST') {
      const parsed = parseSilenceRequest(await readJson(req, false), api.now());
      if (!parsed.ok) return send(api, res, 400, { error: 'invalid silence', problems: parsed.problems });
      // A secret pasted into the comment is never stored, shown or written to data_dir.
      const input = { ...parsed.input, comment: redactSecrets(parsed.input.comment, api.secrets) };
      let created;
      try {
        created = await api.escalator.silences.create(input, api.now());
      } catch (error) {
        throw new HttpError(400, (error as Error).message, (error as { fix?: string }).fix);
      }
      return send(api, res, 201, { silence: created });
    }
  }
  const silence = /^\/api\/silences\/([^/]+)$/.exec(path);
  if (silence) {
    const id = decodeId(silence[1]!);
    if (method === 'GET') {
      const found = api.escalator.silences.get(id, api.now());
      if (!found) throw new HttpError(404, `no silence ${JSON.stringify(id)}`, 'list them with GET /api/silences');
      return send(api, res, 200, { silence: found });
    }
    if (method === 'DELETE') {
      const expired = await api.escalator.silences.expire(id, api.now());
      if (!expired) throw new HttpError(404, `no active silence ${JSON.stringify(id)}`, 'list them with GET /api/silences');
      return send(api, res, 200, { expired: id });
    }
  }

  if (path === '/slack/interactivity' && method === 'POST') {
    const raw = await readRaw(req, JSON_BODY_LIMIT);
    const answer = await answerSlackInteraction(api.escalator, api.readSlackAction, { rawBody: raw, headers: req.headers, nowMs: api.now(), signedAtMs: api.wallNow() }, (line) => log.warn('escalation', { detail: line.replace(/^escalation: /, '') }));
    return answer.contentType === 'application/json' ? send(api, res, answer.status, JSON.parse(answer.body)) : sendText(api, res, answer.status, answer.body);
  }

  if (path === '/-/reload' && method === 'POST') {
    const result = await api.reload();
    if (result.ok) return send(api, res, 200, { status: 'success' });
    return send(api, res, 400, { status: 'error', errors: result.errors, diagnostics: result.diagnostics });
  }

  if (KNOWN_PATHS.has(path) || ack || silence) throw new HttpError(405, `${method} is not allowed on ${path}`);
  throw new HttpError(404, `no such endpoint ${path}`, `endpoints: ${[...KNOWN_PATHS].join(', ')}, /api/alerts/{id}/ack, /api/silences/{id}`);
}

const KNOWN_PATHS = new Set(['/healthz', '/metrics', '/api/alerts', '/api/targets', '/api/silences', '/slack/interactivity', '/-/reload', '/v1/metrics']);

function decodeId(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new HttpError(400, `bad percent-encoding in ${JSON.stringify(text)}`, 'encode the id with encodeURIComponent');
  }
}

async function readRaw(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, `body over ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readJson(req: IncomingMessage, optional: boolean): Promise<unknown> {
  const text = await readRaw(req, JSON_BODY_LIMIT);
  if (text.trim() === '') {
    if (optional) return undefined;
    throw new HttpError(400, 'empty body', 'send a JSON object with content-type application/json');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `body is not JSON: ${(error as Error).message}`, 'send a JSON object with content-type application/json');
  }
}

function send(api: ServiceApi, res: ServerResponse, status: number, body: unknown): void {
  res.setHeader('content-type', 'application/json; charset=utf-8');
  sendText(api, res, status, JSON.stringify(body) + '\n');
}

function sendText(api: ServiceApi, res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.end(scrub(text, api.secrets));
}
