// `sentinel run`: the scrape pool, the evaluation loop and the escalator, behind one HTTP server.
// Evaluations, escalation ticks and reloads run one at a time (a small mutex); the API talks to the
// escalator directly (it serialises its own changes), so it never waits for an evaluation. Time comes from `now()`: tests call evaluateOnce
// and tick with the instants they choose and never wait for a timer.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatDiagnostic, type Diagnostic } from '../config/index.js';
import type { AlertEvent, Sample } from '../model/index.js';
import type { Escalator } from '../escalate/types.js';
import type { EscalationPolicy } from '../policy/types.js';
import { fileStore, type DurableStore, type SetAsideListener } from '../store/index.js';
import { loadServiceConfig, type ServiceConfig } from './config.js';
import { manualClock, systemClock, type Clock } from './clock.js';
import { Evaluator, SNAPSHOT_KEY } from './evaluator.js';
import { StateJournal } from './state-journal.js';
import type { AlertChart, ResolvedChart } from '../escalate/chart-history.js';
import { createHttpServer, type LastReload, type ReloadResult, type RuleInfo, type ServiceApi } from './http.js';
import { createLogger, type Logger } from './log.js';
import { OtlpReceiver } from './otlp-receiver.js';
import { ScrapePool, type TargetStatus } from './scrape-pool.js';
import { API_TOKEN_ENV, secretValues } from './secrets.js';
import { resolveApiToken } from './api-token.js';
import { hasSession, sessionCookie, tokenMatches } from './console-session.js';
import { slackActionReader, type ReadSlackAction } from './slack-interaction.js';
import { ServiceMetrics } from './self-metrics.js';
import type { ServiceAlert, DetectorPort, ParseExposition } from './types.js';

export interface EscalatorFactoryOptions {
  readonly policy: EscalationPolicy;
  readonly store: DurableStore;
  readonly log: Logger;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** How long an evaluation, tick or API call waits for the deliveries it started (then they go on behind). */
  readonly deliveryWaitMs: number;
  /** Every failed write of the escalation state (counted in sentinel_state_write_failures_total). */
  readonly onWriteFailure: (error: Error) => void;
}

export interface ServiceDeps<R> {
  readonly detector: DetectorPort<R>;
  readonly parse: ParseExposition;
  readonly createEscalator: (options: EscalatorFactoryOptions) => Promise<Escalator>;
  /** The wall clock unless given: an accelerated one (`--clock-speed`), or tests' own. */
  readonly clock?: Clock;
  /** Shorthand for a manual clock: tests that pass explicit instants to evaluateOnce/tick. */
  readonly now?: () => number;
  readonly fetch?: typeof fetch;
  /** Lines go here instead of stderr (tests). Secrets are scrubbed either way. */
  readonly writeLog?: (line: string) => void;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Checks Slack's request signature; the HMAC against the policy's signing secret unless given (tests). */
  readonly readSlackAction?: ReadSlackAction;
  /** false: no scrape, evaluation or tick timers; the caller drives scrapeAll/evaluateOnce/tick. */
  readonly timers?: boolean;
  /** The rules as the console lists them (name, kind, severity); nothing listed when absent. */
  readonly describeRules?: (rules: R) => readonly RuleInfo[];
  /** Sees every evaluated batch: names, in the log, rules whose selector matched nothing (rule-coverage.ts). */
  readonly watchCoverage?: (rules: R, log: Logger) => { observe(samples: readonly Sample[], nowMs: number): void };
}

/** How often escalation timers (group_wait, steps, outbox retries) are looked at between evaluations. */
const TICK_MS = 1_000;
/** Real milliseconds an evaluation or an API call waits for the deliveries it started: loopback and a
 *  healthy Slack answer well within it, and a stuck receiver costs no caller more (the API answers in 1 s). */
const DELIVERY_WAIT_MS = 500;

export type StartResult<R> = { ok: true; service: SentinelService<R> } | { ok: false; diagnostics: readonly Diagnostic[] };

export class SentinelService<R> implements ServiceApi {
  readonly metrics = new ServiceMetrics();
  #rules: readonly RuleInfo[] = [];
  #lastReload: LastReload | undefined;
  readonly log: Logger;
  #config: ServiceConfig;
  #secrets: readonly string[];
  readonly #deps: ServiceDeps<R>;
  readonly #clock: Clock;
  readonly #pool: ScrapePool;
  /** Metrics pushed over OTLP/HTTP, beside the scraped ones. */
  readonly otlp: OtlpReceiver;
  readonly #server: Server;
  readonly readSlackAction: ReadSlackAction;
  #evaluator!: Evaluator<R>;
  #coverage?: { observe(samples: readonly Sample[], nowMs: number): void };
  #escalator!: Escalator;
  #lock: Promise<unknown> = Promise.resolve();
  #evaluationTimer?: NodeJS.Timeout;
  #tickTimer?: NodeJS.Timeout;
  #stopped = false;
  #apiToken = '';

  private constructor(config: ServiceConfig, deps: ServiceDeps<R>) {
    this.#config = config;
    this.#deps = deps;
    this.#clock = deps.clock ?? (deps.now ? manualClock(deps.now) : systemClock);
    this.#secrets = secretValues(config.policy, deps.env ?? process.env);
    this.log = createLogger({ write: deps.writeLog, secrets: () => this.#secrets, now: this.now });
    this.#pool = new ScrapePool(config.targets, { parse: deps.parse, fetch: deps.fetch, now: this.now, realDelay: this.#clock.realDelay }, this.metrics, this.log);
    const env = deps.env ?? process.env;
    this.readSlackAction = deps.readSlackAction ?? slackActionReader(() => env[this.#config.policy.slackSigningSecretEnv] ?? '');
    this.otlp = new OtlpReceiver(this.metrics, this.log);
    this.#server = createHttpServer(this, this.log);
  }

  /** Loads config and rules, restores state from data_dir, listens, and (unless timers: false) starts the loops. */
  static async start<R>(configFile: string, deps: ServiceDeps<R>): Promise<StartResult<R>> {
    const loaded = await loadConfigAndRules(configFile, deps.detector);
    if (!loaded.ok) return loaded;
    const service = new SentinelService(loaded.config, deps);
    await service.#open(loaded.rules);
    return { ok: true, service };
  }

  async #open(rules: R): Promise<void> {
    const config = this.#config;
    this.#coverage = this.#deps.watchCoverage?.(rules, this.log);
    const onSetAside: SetAsideListener = ({ key, movedTo, reason }) =>
      this.log.error('state_file_set_aside', { key, reason, moved_to: movedTo, fix: 'the service starts fresh for this part of its state; keep the moved file for a post-mortem or delete it' });
    const store = fileStore(config.dataDir, { onSetAside });
    this.#rules = this.#deps.describeRules?.(rules) ?? [];
    await this.#openApiToken();
    this.#escalator = await this.#deps.createEscalator({
      policy: config.policy,
      store,
      log: this.log,
      env: this.#deps.env ?? process.env,
      deliveryWaitMs: DELIVERY_WAIT_MS,
      onWriteFailure: () => this.metrics.stateWriteFailures.inc(),
    });
    const journal = new StateJournal({ store, dir: config.dataDir, key: SNAPSHOT_KEY, onSetAside: onSetAside });
    this.#evaluator = await Evaluator.restore({ detector: this.#deps.detector, escalator: this.#escalator, journal, metrics: this.metrics, log: this.log }, rules);
    if (this.#evaluator.restoredFromMs !== undefined) this.#clock.resumeFrom(this.#evaluator.restoredFromMs);
    // The detector's saved time may be gone (its file set aside) while the escalator's timers remain.
    const escalationTime = this.#escalator.savedUpToMs?.();
    if (escalationTime !== undefined) this.#clock.resumeFrom(escalationTime);
    this.#pool.restoreDown(this.#evaluator.alerts.list());
    this.metrics.alerts.replaceAll(this.#evaluator.alerts.countsByStateAndSeverity());
    this.metrics.lastReloadSuccess.set({}, 1);
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(config.listen.port, config.listen.host, () => resolve());
    });
    const { address, port } = this.address();
    this.log.info('service_started', { listen: `${address}:${port}`, targets: config.targets.length, data_dir: config.dataDir });
    if (this.#deps.timers !== false) {
      this.#pool.start();
      this.#scheduleEvaluation();
      this.#scheduleTick();
    }
  }

  now = (): number => this.#clock.now();

  wallNow = (): number => this.#clock.wallNow?.() ?? Date.now();

  /** SENTINEL_API_TOKEN, or the token kept in (and at first start generated into) data_dir/api-token. */
  async #openApiToken(): Promise<void> {
    const resolved = await resolveApiToken(this.#config.dataDir, this.#deps.env ?? process.env);
    this.#apiToken = resolved.token;
    this.#secrets = [...this.#secrets, resolved.token];
    if (resolved.source === 'generated') this.log.warn('api_token_generated', { file: resolved.file, fix: `writes (silences, acks, reloads, amtool) need this token: send it as Authorization: Bearer, point amtool's --http.config.file at it (authorization: { credentials_file: ${resolved.file} }), or sign in to the console with it; set ${API_TOKEN_ENV} to choose your own` });
    if (resolved.source === 'file') this.log.info('api_token', { file: resolved.file });
    if (resolved.source === 'file' && resolved.widened) this.log.warn('api_token_file_permissions_narrowed', { file: resolved.file, mode: '0600' });
    if (resolved.source === 'unavailable') this.log.error('api_token_unavailable', { file: resolved.file, error: resolved.error, fix: `API writes are refused until data_dir is writable and the service restarts, or until ${API_TOKEN_ENV} is set; pages still go out` });
  }

  apiToken(): string {
    return this.#apiToken;
  }

  hasSession(cookieHeader: string | undefined): boolean {
    return hasSession(cookieHeader, this.#apiToken, this.wallNow());
  }

  startSession(token: string): string | undefined {
    return token !== '' && tokenMatches(token, this.#apiToken) ? sessionCookie(this.#apiToken, this.wallNow()) : undefined;
  }

  get listenHost(): string {
    return this.#config.listen.host;
  }

  address(): AddressInfo {
    return this.#server.address() as AddressInfo;
  }

  get config(): ServiceConfig {
    return this.#config;
  }

  /** Scrape every target once, now (tests; the timers do this in production). */
  scrapeAll(): Promise<void> {
    return this.#pool.scrapeAll();
  }

  /** One evaluation at `nowMs` over the samples scraped since the last one. */
  evaluateOnce(nowMs = this.now()): Promise<readonly AlertEvent[]> {
    return this.#exclusive(async () => {
      const samples = [...this.#pool.takeFresh(), ...this.otlp.takeFresh()];
      this.#coverage?.observe(samples, nowMs);
      const events = await this.#evaluator.evaluate(nowMs, samples, { unreachableTargets: this.#pool.unreachable(), events: this.#pool.downTransitions(nowMs) });
      // Alerts the detector no longer holds (a lost state, a renamed series) resolve after resolve_timeout.
      const firing = this.#evaluator.alerts.list().filter((a) => a.state === 'firing').map((a) => a.id);
      await this.#escalator.reconcile?.(firing, nowMs);
      return events;
    });
  }

  /** Escalation timers and outbox deliveries due at `nowMs`. */
  tick(nowMs = this.now()): Promise<void> {
    return this.#exclusive(() => this.#escalator.tick(nowMs));
  }

  get escalator(): Escalator {
    return this.#escalator;
  }

  get secrets(): readonly string[] {
    return this.#secrets;
  }

  activeAlerts(): readonly ServiceAlert[] {
    return this.#evaluator.alerts.list();
  }

  targets(): readonly TargetStatus[] {
    return this.#pool.statuses();
  }

  rules(): readonly RuleInfo[] {
    return this.#rules;
  }

  lastReload(): LastReload | undefined {
    return this.#lastReload;
  }

  alertChart(id: string): AlertChart | undefined {
    return this.#evaluator.chart(id);
  }

  resolvedCharts(): readonly ResolvedChart[] {
    return this.#evaluator.resolvedCharts();
  }

  metricsText(): string {
    const sent: Array<readonly [Record<string, string>, number]> = [];
    const failed: Array<readonly [Record<string, string>, number]> = [];
    const pending: Array<readonly [Record<string, string>, number]> = [];
    for (const [receiver, c] of Object.entries(this.#escalator.counters())) {
      sent.push([{ receiver }, c.sent]);
      failed.push([{ receiver }, c.failed]);
      pending.push([{ receiver }, c.pending]);
    }
    this.metrics.notificationsSent.replaceAll(sent);
    this.metrics.notificationsFailed.replaceAll(failed);
    this.metrics.notificationsPending.replaceAll(pending);
    return this.metrics.render();
  }

  /** Re-reads the config file, its contacts file and the rules. All or nothing: on any error the last
   *  good set keeps running and every problem is reported with file:line:col and its fix. */
  async reload(): Promise<ReloadResult> {
    let loaded: Awaited<ReturnType<typeof loadConfigAndRules<R>>>;
    try {
      loaded = await loadConfigAndRules(this.#config.file, this.#deps.detector);
    } catch (error) {
      // A loader that throws (a file gone mid-read, an I/O error) is bad input too: report it, keep running.
      loaded = { ok: false, diagnostics: [{ file: this.#config.file, line: 1, column: 1, message: `reload failed: ${(error as Error).message}`, fix: 'fix the file named in the message, then reload again' }] };
    }
    if (!loaded.ok) {
      this.metrics.reloads.inc({ result: 'failure' });
      this.metrics.lastReloadSuccess.set({}, 0);
      const errors = loaded.diagnostics.map(formatDiagnostic);
      for (const error of errors) this.log.error('reload_rejected', { error });
      this.log.warn('reload_kept_last_good', { config: this.#config.file });
      this.#lastReload = { atMs: this.now(), ok: false, errors };
      return { ok: false, diagnostics: loaded.diagnostics, errors };
    }
    const { config: next, rules } = loaded;
    for (const key of ['dataDir', 'listen'] as const) {
      if (JSON.stringify(next[key]) !== JSON.stringify(this.#config[key])) this.log.warn('reload_needs_restart', { setting: key });
    }
    await this.#exclusive(async () => {
      this.#evaluator.setRules(rules);
      this.#coverage = this.#deps.watchCoverage?.(rules, this.log);
      await this.#escalator.reload(next.policy);
      // A renamed or removed rule's alerts would otherwise never resolve: nothing reports them any more.
      const names = ruleNames(rules);
      if (names) await this.#escalator.retireRules?.(names, this.now());
    });
    // Old values stay scrubbed too: a rotated token is still a token.
    this.#secrets = [...new Set([...this.#secrets, ...secretValues(next.policy, this.#deps.env ?? process.env)])];
    this.#pool.setTargets(next.targets);
    // The listen address and data_dir are fixed for the life of the process; the rest applies now.
    this.#config = { ...next, dataDir: this.#config.dataDir, listen: this.#config.listen };
    this.metrics.reloads.inc({ result: 'success' });
    this.metrics.lastReloadSuccess.set({}, 1);
    this.#rules = this.#deps.describeRules?.(rules) ?? [];
    this.#lastReload = { atMs: this.now(), ok: true, errors: [] };
    this.log.info('reload_applied', { targets: next.targets.length });
    return { ok: true };
  }

  /** Stops the loops, lets the running evaluation finish and its state reach disk, closes the server. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#evaluationTimer);
    clearTimeout(this.#tickTimer);
    await this.#pool.stop();
    await this.#exclusive(async () => {
      await this.#evaluator.persist(this.now());
      await this.#escalator.close();
    });
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.log.info('service_stopped');
  }

  #scheduleEvaluation(): void {
    this.#evaluationTimer = setTimeout(() => {
      this.evaluateOnce()
        .catch((error: unknown) => this.log.error('evaluation_failed', { error: (error as Error).message }))
        .finally(() => {
          if (!this.#stopped) this.#scheduleEvaluation();
        });
    }, this.#clock.realDelay(this.#config.evaluationIntervalMs));
  }

  #scheduleTick(): void {
    this.#tickTimer = setTimeout(() => {
      this.tick()
        .catch((error: unknown) => this.log.error('escalation_tick_failed', { error: (error as Error).message }))
        .finally(() => {
          if (!this.#stopped) this.#scheduleTick();
        });
    }, this.#clock.realDelay(Math.min(TICK_MS, this.#config.evaluationIntervalMs)));
  }

  /** Runs `fn` after everything queued before it; a failure does not block what comes next. */
  #exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    const run = this.#lock.then(() => fn());
    this.#lock = run.catch(() => undefined);
    return run;
  }
}

/** Rule names when the rule set is a list of named rules (the real one is); undefined for other shapes. */
function ruleNames(rules: unknown): string[] | undefined {
  if (!Array.isArray(rules) || !rules.every((r) => typeof (r as { name?: unknown })?.name === 'string')) return undefined;
  return rules.map((r) => (r as { name: string }).name);
}

/** The config file (with its contacts file) and the rules it names; every problem of both in one list. */
export async function loadConfigAndRules<R>(
  configFile: string,
  detector: Pick<DetectorPort<R>, 'loadRules'>,
): Promise<{ ok: true; config: ServiceConfig; rules: R } | { ok: false; diagnostics: readonly Diagnostic[] }> {
  const config = await loadServiceConfig(configFile);
  if (!config.ok) return config;
  const rules = await detector.loadRules(config.value.rulesPath);
  if (!rules.ok) return rules;
  return { ok: true, config: config.value, rules: rules.value };
}
