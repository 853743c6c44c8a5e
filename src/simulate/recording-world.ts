// The simulated service behind a recording: partners and their operations with seasonal traffic
// (business-hours peaks, quiet nights and weekends), Poisson noise, a background of client errors and
// rare 5xx, per-operation latency histograms, database operations, routing flows per zone and event
// queues. Metric and label names follow the metric contract (model/METRIC) exactly.
import { METRIC } from '../model/index.js';
import type { Rng } from './recording-random.js';
import { makeLine, type Family, type FamilyType, type SeriesLine } from './recording-writer.js';
import { DB_OPERATIONS, NO_VARIATION, PARTNER_OPERATIONS, QUEUES, seasonalFactor, ZONES, type PartnerOperation, type Variation } from './recording-catalog.js';

export { DB_OPERATIONS, PARTNER_OPERATIONS, QUEUES, ZONES, drawVariation, NO_VARIATION, seasonalFactor } from './recording-catalog.js';
export type { PartnerOperation, Variation } from './recording-catalog.js';

const REQUEST_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 10];
const DB_BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30];
export const DB_TIMEOUT_SECONDS = 30;
const PARTNER_TIMEOUT_SECONDS = 10;

/** What the scenario imposes on the world during one minute. */
export interface Conditions {
  trafficFactor: number;
  /** Deploy blip: this share of every partner call answers 503. */
  serverErrorShare: number;
  /** Calls of this partner fail with this outcome and error code: every call, or `share` of them. */
  errorShift: { partner: string; outcome: string; errorCode: string; share?: number } | undefined;
  /** `partner operation` keys whose calls stopped happening (no success, no error). */
  stoppedOperations: ReadonlySet<string>;
  /** Share of partner calls that time out (zones incident). */
  partnerTimeoutShare: number;
  /** A database operation that has slowed to this median (seconds), or times out when >= the timeout. */
  slowDb: { name: string; medianSeconds: number } | undefined;
  /** Registrations depend on the association query: they stop while it times out. */
  registrationsStopped: boolean;
  /** zone -> number of unhealthy flows. */
  unhealthyFlows: ReadonlyMap<string, number>;
  /** Shapes and the quiet month (recording-shapes.ts): `partner operation` -> call-rate multiplier
   *  (a partial drop, a partner onboarding), and -> latency multiplier. */
  operationFactor: ReadonlyMap<string, number>;
  latencyFactor: ReadonlyMap<string, number>;
  /** partner -> extra share of its calls that time out. */
  partnerTimeoutBy: ReadonlyMap<string, number>;
  /** db operation -> call-rate multiplier (a nightly batch). */
  dbRateFactor: ReadonlyMap<string, number>;
  /** A slow db operation times out on this share of its calls (instead of all or none). */
  dbTimeoutShare: number | undefined;
  /** One call of this db operation times out this minute. */
  strayDbTimeout: string | undefined;
  /** queue -> events it may process a minute (a consumer behind a partner's rate limit). */
  queueRateLimit: ReadonlyMap<string, number>;
  /** Business hours shifted by this much (a daylight-saving change). */
  clockShiftMs: number;
}

export function calmConditions(): Conditions {
  return {
    trafficFactor: 1, serverErrorShare: 0, errorShift: undefined, stoppedOperations: new Set(),
    partnerTimeoutShare: 0, slowDb: undefined, registrationsStopped: false, unhealthyFlows: new Map(),
    operationFactor: new Map(), latencyFactor: new Map(), partnerTimeoutBy: new Map(), dbRateFactor: new Map(),
    dbTimeoutShare: undefined, strayDbTimeout: undefined, queueRateLimit: new Map(), clockShiftMs: 0,
  };
}

class Histogram {
  readonly buckets: SeriesLine[];
  readonly sum: SeriesLine;
  readonly count: SeriesLine;
  private readonly bounds: number[];
  constructor(family: Family, bounds: number[], pairs: Array<[string, string]>) {
    this.bounds = bounds;
    this.buckets = [...bounds.map(String), '+Inf'].map((le) => makeLine(family.name + '_bucket', [...pairs, ['le', le]], true));
    this.sum = makeLine(family.name + '_sum', pairs, true);
    this.count = makeLine(family.name + '_count', pairs, true);
    family.lines.push(...this.buckets, this.sum, this.count);
  }
  observe(seconds: number): void {
    let i = 0;
    while (i < this.bounds.length && seconds > this.bounds[i]!) i++;
    // Every bucket is exposed once the histogram has an observation, empty ones as 0.
    for (let j = 0; j < i; j++) this.buckets[j]!.present = true;
    for (; i < this.buckets.length; i++) bump(this.buckets[i]!, 1);
    bump(this.sum, seconds);
    bump(this.count, 1);
  }
}

function bump(line: SeriesLine, by: number): void {
  line.value += by;
  line.present = true;
}

/** A counter's family name: the sample name without `_total`, as `# TYPE` lines write it. */
function counterFamily(sampleName: string): string {
  return sampleName.replace(/_total$/, '');
}

function family(name: string, type: FamilyType, help: string): Family {
  return { name, type, help, lines: [] };
}

export class World {
  readonly families: Family[];
  private readonly requests = family(counterFamily(METRIC.requests), 'counter', 'Partner calls by outcome.');
  private readonly requestDuration = family(METRIC.requestDuration, 'histogram', 'Partner call duration.');
  private readonly dbDuration = family(METRIC.dbDuration, 'histogram', 'Duration of database client operations.');
  private readonly routing = family(METRIC.routingFlows, 'gauge', 'Routing flows by zone and state.');
  private readonly queueEvents = family(counterFamily(METRIC.queueEvents), 'counter', 'Queue events by outcome.');
  private readonly queuePending = family(METRIC.queuePending, 'gauge', 'Events waiting in the queue.');
  private readonly queueAge = family(METRIC.queueOldestAge, 'gauge', 'Age of the oldest pending event.');
  private readonly counters = new Map<string, SeriesLine>();
  private readonly histograms = new Map<string, Histogram>();
  private readonly zoneLines = new Map<string, { healthy: SeriesLine; unhealthy: SeriesLine; flows: number }>();
  private readonly queueState = new Map<string, { pending: SeriesLine; age: SeriesLine; backlog: number; oldestSinceMs: number }>();
  private readonly rng: Rng;

  private readonly variation: Variation;

  constructor(rng: Rng, variation: Variation = NO_VARIATION) {
    this.rng = rng;
    this.variation = variation;
    this.families = [this.requests, this.requestDuration, this.dbDuration, this.routing, this.queueEvents, this.queuePending, this.queueAge];
    for (const zone of ZONES) {
      const healthy = makeLine(METRIC.routingFlows, [['zone', zone], ['state', 'healthy']], false);
      const unhealthy = makeLine(METRIC.routingFlows, [['zone', zone], ['state', 'unhealthy']], false);
      this.routing.lines.push(healthy, unhealthy);
      this.zoneLines.set(zone, { healthy, unhealthy, flows: rng.int(9, 11) });
    }
    for (const q of QUEUES) {
      const pending = makeLine(METRIC.queuePending, [['queue', q.queue]], false);
      const age = makeLine(METRIC.queueOldestAge, [['queue', q.queue]], false);
      this.queuePending.lines.push(pending);
      this.queueAge.lines.push(age);
      this.queueState.set(q.queue, { pending, age, backlog: 0, oldestSinceMs: 0 });
    }
  }

  /** A process restart: every counter and histogram falls back to 0 and disappears until incremented. */
  restart(): void {
    for (const f of this.families) for (const line of f.lines) if (line.resettable) { line.value = 0; line.present = false; }
  }

  /** Advance the world by `minutes` ending at `tMs`. */
  step(tMs: number, minutes: number, c: Conditions): void {
    const season = seasonalFactor(tMs + c.clockShiftMs, this.variation);
    const v = this.variation;
    for (const op of PARTNER_OPERATIONS) this.partnerCalls(op, season, minutes, c);
    for (const db of DB_OPERATIONS) {
      this.dbCalls(db.name, db.peakPerMin * (v.rate.get(db.name) ?? 1) * (c.dbRateFactor.get(db.name) ?? 1), db.medianSeconds * (v.latency.get(db.name) ?? 1), season, minutes, c);
    }
    this.routingFlows(c);
    for (const q of QUEUES) this.queue(q.queue, q.eventType, q.peakPerMin * (v.rate.get(q.queue) ?? 1) * season * c.trafficFactor * minutes, tMs, c, minutes);
  }

  private partnerCalls(spec: PartnerOperation, season: number, minutes: number, c: Conditions): void {
    const key = spec.partner + ' ' + spec.operation;
    if (c.stoppedOperations.has(key)) return;
    const v = this.variation;
    const slower = c.latencyFactor.get(key) ?? 1;
    const op = v === NO_VARIATION && slower === 1 ? spec : { ...spec, medianSeconds: spec.medianSeconds * (v.latency.get(key) ?? 1) * slower };
    const rate = op.peakPerMin * (v.rate.get(key) ?? 1) * (op.seasonal ? season : 1) * c.trafficFactor * (c.operationFactor.get(key) ?? 1);
    const e = v.errorScale;
    let calls = this.rng.poisson(rate * minutes);
    if (calls === 0) return;
    const shift = c.errorShift && c.errorShift.partner === op.partner ? c.errorShift : undefined;
    if (shift) {
      const failing = shift.share === undefined ? calls : this.rng.binomial(calls, shift.share);
      this.record(op, shift.outcome, shift.errorCode, failing, op.medianSeconds * 0.5);
      calls -= failing;
      if (shift.share === undefined || calls === 0) return;
    }
    const take = (p: number): number => {
      const n = this.rng.binomial(calls, p);
      calls -= n;
      return n;
    };
    const bg = op.background;
    this.record(op, 'timeout', 'timeout', take(c.partnerTimeoutShare + (c.partnerTimeoutBy.get(op.partner) ?? 0) + (bg.includes('timeout') ? 0.0003 * e : 0)), PARTNER_TIMEOUT_SECONDS);
    this.record(op, 'server_error', '503', take(c.serverErrorShare), op.medianSeconds);
    if (bg.includes('500')) this.record(op, 'server_error', '500', take(0.001 * e), op.medianSeconds);
    if (bg.includes('auth')) this.record(op, 'auth_error', op.authErrorCode, take(0.003 * e), op.medianSeconds * 0.5);
    if (bg.includes('404')) this.record(op, 'client_error', '404', take(0.012 * e), op.medianSeconds * 0.7);
    if (bg.includes('400')) this.record(op, 'client_error', '400', take(0.004 * e), op.medianSeconds * 0.7);
    // A pharmacy reject code with a newline in it: rare, but readers must unescape it.
    if (bg.includes('ncpdp')) this.record(op, 'client_error', 'NCPDP 75\nprior auth', take(0.001 * e), op.medianSeconds);
    this.record(op, 'success', '', calls, op.medianSeconds);
  }

  private record(op: PartnerOperation, outcome: string, errorCode: string, n: number, medianSeconds: number): void {
    if (n <= 0) return;
    const key = op.partner + '\u0000' + op.operation + '\u0000' + outcome + '\u0000' + errorCode;
    let counter = this.counters.get(key);
    if (!counter) {
      const pairs: Array<[string, string]> = [['partner', op.partner], ['operation', op.operation], ['outcome', outcome]];
      if (errorCode !== '') pairs.push(['error_code', errorCode]);
      counter = makeLine(METRIC.requests, pairs, true);
      this.requests.lines.push(counter);
      this.counters.set(key, counter);
    }
    bump(counter, n);
    const hKey = op.partner + '\u0000' + op.operation + '\u0000' + outcome;
    let h = this.histograms.get(hKey);
    if (!h) {
      h = new Histogram(this.requestDuration, REQUEST_BUCKETS, [['partner', op.partner], ['operation', op.operation], ['outcome', outcome]]);
      this.histograms.set(hKey, h);
    }
    const fixed = outcome === 'timeout';
    for (let i = 0; i < n; i++) h.observe(fixed ? medianSeconds : this.rng.logNormal(medianSeconds, 0.45));
  }

  private dbCalls(name: string, peakPerMin: number, medianSeconds: number, season: number, minutes: number, c: Conditions): void {
    if (name === 'insert_registration' && c.registrationsStopped) return;
    let calls = this.rng.poisson(peakPerMin * season * c.trafficFactor * minutes);
    // A stray timeout is a call of its own: it happens in a step with no other call too.
    const stray = c.strayDbTimeout === name;
    if (stray) calls = Math.max(1, calls);
    if (calls === 0) return;
    const slow = c.slowDb && c.slowDb.name === name ? c.slowDb.medianSeconds : undefined;
    if (slow !== undefined && slow >= DB_TIMEOUT_SECONDS) {
      this.db(name, 'timeout', calls, () => DB_TIMEOUT_SECONDS);
      return;
    }
    if (slow !== undefined && c.dbTimeoutShare !== undefined) {
      const timedOut = this.rng.binomial(calls, c.dbTimeoutShare);
      this.db(name, 'timeout', timedOut, () => DB_TIMEOUT_SECONDS);
      calls -= timedOut;
    }
    if (stray) {
      this.db(name, 'timeout', 1, () => DB_TIMEOUT_SECONDS);
      calls = Math.max(0, calls - 1);
    }
    // Background failures: a unique violation now and then on inserts.
    const failed = name === 'insert_registration' ? this.rng.binomial(calls, 0.002) : 0;
    calls -= failed;
    this.db(name, 'UniqueViolationError', failed, () => this.rng.logNormal(medianSeconds, 0.3));
    // Slow but not yet timing out: the tail stays under the timeout so "starts timing out" is one instant.
    const median = slow ?? medianSeconds;
    this.db(name, '', calls, () => Math.min(DB_TIMEOUT_SECONDS * 0.95, this.rng.logNormal(median, 0.35)));
  }

  private db(name: string, errorType: string, n: number, latency: () => number): void {
    if (n <= 0) return;
    const key = 'db\u0000' + name + '\u0000' + errorType;
    let h = this.histograms.get(key);
    if (!h) {
      const pairs: Array<[string, string]> = [['db_operation_name', name], ['db_system_name', 'postgresql']];
      if (errorType !== '') pairs.push(['error_type', errorType]);
      h = new Histogram(this.dbDuration, DB_BUCKETS, pairs);
      this.histograms.set(key, h);
    }
    for (let i = 0; i < n; i++) h.observe(latency());
  }

  private routingFlows(c: Conditions): void {
    for (const [zone, z] of this.zoneLines) {
      // Flows come and go slowly between 9 and 11 per zone.
      if (this.rng.next() < 0.01) z.flows = Math.min(11, Math.max(9, z.flows + (this.rng.next() < 0.5 ? -1 : 1)));
      const unhealthy = Math.min(z.flows, c.unhealthyFlows.get(zone) ?? 0);
      z.healthy.value = z.flows - unhealthy;
      z.unhealthy.value = unhealthy;
    }
  }

  private queue(queue: string, eventType: string, expected: number, tMs: number, c: Conditions, minutes: number): void {
    const q = this.queueState.get(queue)!;
    const enqueued = this.rng.poisson(expected);
    const stalled = queue === 'registrations' && c.registrationsStopped;
    const due = q.backlog + enqueued;
    const limit = c.queueRateLimit.get(queue);
    const free = stalled ? 0 : Math.max(0, due - this.rng.poisson(0.5));
    const processed = limit === undefined ? free : Math.min(free, this.rng.poisson(limit * minutes));
    const retried = stalled ? this.rng.poisson(Math.min(due, 3)) : this.rng.binomial(enqueued, 0.02);
    const failed = stalled ? 0 : this.rng.binomial(processed, 0.001);
    this.queueCount(queue, eventType, 'enqueued', enqueued);
    this.queueCount(queue, eventType, 'processed', processed - failed);
    this.queueCount(queue, eventType, 'retried', retried);
    this.queueCount(queue, eventType, 'failed', failed);
    if (q.backlog === 0 && due - processed > 0) q.oldestSinceMs = tMs - this.rng.between(1, 30) * 1000;
    q.backlog = due - processed;
    q.pending.value = q.backlog;
    q.age.value = q.backlog > 0 ? Math.round((tMs - q.oldestSinceMs) / 100) / 10 : 0;
  }

  private queueCount(queue: string, eventType: string, outcome: string, n: number): void {
    if (n <= 0) return;
    const key = 'q\u0000' + queue + '\u0000' + outcome;
    let line = this.counters.get(key);
    if (!line) {
      line = makeLine(METRIC.queueEvents, [['queue', queue], ['event_type', eventType], ['outcome', outcome]], true);
      this.queueEvents.lines.push(line);
      this.counters.set(key, line);
    }
    bump(line, n);
  }
}
