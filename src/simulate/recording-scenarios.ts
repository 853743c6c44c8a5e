// When incidents and the quiet fortnight's noise happen, and what they do to the world each minute.
// Timing is drawn from the seed, so every seed is a different replay of the same postmortem.
import type { Rng } from './recording-random.js';
import { PARTNER_OPERATIONS, DB_OPERATIONS, ZONES, DB_TIMEOUT_SECONDS, calmConditions, type Conditions } from './recording-world.js';
import { planShape, SHAPES, type ShapeName } from './recording-shapes.js';

export type ScenarioName = 'error_code_shift' | 'query_timeout' | 'success_drop' | 'zones_unhealthy' | 'quiet_fortnight' | 'quiet_month' | ShapeName;
export const SCENARIOS: readonly ScenarioName[] = ['error_code_shift', 'query_timeout', 'success_drop', 'zones_unhealthy', 'quiet_fortnight'];
/** The shapes real incidents take, and the quiet month (recording-shapes.ts). */
export const SHAPE_SCENARIOS: readonly ScenarioName[] = [...SHAPES, 'quiet_month'];
/** Scenarios without an incident. */
export const QUIET: ReadonlySet<ScenarioName> = new Set(['quiet_fortnight', 'quiet_month']);

/** Ground truth of an incident: when it started, which entities a page must name, and the deadline. */
export interface Incident {
  readonly kind: Exclude<ScenarioName, 'quiet_fortnight' | 'quiet_month'>;
  readonly description: string;
  /** First minute of the incident (ms). A page counts when it fires within `pageWithinMinutes` of this. */
  readonly startMs: number;
  readonly endMs: number;
  /** Entities a page may name; a page naming any one of them counts (e.g. either unhealthy zone). */
  readonly entities: ReadonlyArray<Readonly<Record<string, string>>>;
  readonly pageWithinMinutes: number;
  /** query_timeout only: when the gradual slowdown began. */
  readonly slowdownStartMs?: number;
  /** A page must come by this instant when earlier than startMs + pageWithinMinutes (e.g. before a
   *  quarter of calls fail). */
  readonly pageByMs?: number;
  /** A warning about the entity must fire before this instant (the latency creep: before the first timeout). */
  readonly warnBeforeMs?: number;
}

export type NoiseKind = 'restart' | 'scrape_gap' | 'deploy_blip' | 'surge' | 'zone_blip'
  | 'partner_blip' | 'stray_timeout' | 'dst_shift' | 'onboarding' | 'new_operation' | 'double_latency';
export interface NoiseEvent {
  readonly kind: NoiseKind;
  readonly startMs: number;
  readonly endMs: number;
  readonly labels?: Readonly<Record<string, string>>;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export interface IncidentPlan {
  readonly incident: Incident;
  readonly apply: (tMs: number, c: Conditions) => void;
}

/** Places the incident at its first fitting slot at or after `earliestMs`. */
export function planIncident(kind: Incident['kind'], earliestMs: number, rng: Rng, atMs?: number, level?: number): IncidentPlan {
  const slot = (hours: [number, number], weekdaysOnly: boolean): number => {
    if (atMs !== undefined) return atMs;
    for (let day = Math.floor(earliestMs / DAY); ; day++) {
      const dow = new Date(day * DAY).getUTCDay();
      if (weekdaysOnly && (dow === 0 || dow === 6)) continue;
      const t = day * DAY + rng.int(hours[0] * 60, hours[1] * 60 - 1) * MIN;
      if (t >= earliestMs) return t;
    }
  };
  if ((SHAPES as readonly string[]).includes(kind)) return planShape(kind as ShapeName, slot, rng, level);
  switch (kind) {
    case 'error_code_shift': {
      const partner = rng.pick(['acme_ehr', 'labcorp_like', 'pharmacy']);
      const shift = rng.pick([
        { outcome: 'client_error', errorCode: '403' },
        { outcome: 'auth_error', errorCode: 'invalid_token' },
        { outcome: 'client_error', errorCode: '400' },
      ]);
      const startMs = slot([0, 4], false);
      const endMs = startMs + rng.int(6, 10) * HOUR;
      return {
        incident: {
          kind, startMs, endMs, entities: [{ partner }], pageWithinMinutes: 10,
          description: `${partner} answers ${shift.errorCode} (${shift.outcome}) instead of its expired-credentials code; every call fails`,
        },
        apply: (t, c) => { if (t >= startMs && t < endMs) c.errorShift = { partner, ...shift }; },
      };
    }
    case 'query_timeout': {
      const name = 'associate_submitter';
      const base = DB_OPERATIONS.find((d) => d.name === name)!.medianSeconds;
      const startMs = slot([0, 24], false);
      const slowdownStartMs = Math.max(earliestMs - 6 * HOUR, startMs - rng.int(12, 24) * HOUR);
      const endMs = startMs + rng.int(4, 8) * HOUR;
      const growth = Math.log((DB_TIMEOUT_SECONDS * 0.93) / base);
      return {
        incident: {
          kind, startMs, endMs, slowdownStartMs, entities: [{ db_operation_name: name }], pageWithinMinutes: 15,
          description: `${name} slows as active patients grow, then times out at ${DB_TIMEOUT_SECONDS}s; registrations stop`,
        },
        apply: (t, c) => {
          if (t >= slowdownStartMs && t < startMs) {
            const frac = (t - slowdownStartMs) / (startMs - slowdownStartMs);
            c.slowDb = { name, medianSeconds: base * Math.exp(growth * frac * frac) };
          } else if (t >= startMs && t < endMs) {
            c.slowDb = { name, medianSeconds: DB_TIMEOUT_SECONDS };
            c.registrationsStopped = true;
          }
        },
      };
    }
    case 'success_drop': {
      const candidates = PARTNER_OPERATIONS.filter((o) => o.peakPerMin >= 6);
      const checkIns = candidates.find((o) => o.operation === 'POST /check-ins')!;
      const op = rng.pick([checkIns, checkIns, ...candidates]);
      const startMs = slot([9, 14], true);
      const endMs = startMs + 3 * HOUR;
      const key = op.partner + ' ' + op.operation;
      return {
        incident: {
          kind, startMs, endMs, entities: [{ partner: op.partner, operation: op.operation }], pageWithinMinutes: 20,
          description: `${op.partner} ${op.operation}: successes stop in business hours, no error anywhere`,
        },
        apply: (t, c) => { if (t >= startMs && t < endMs) c.stoppedOperations = new Set([key]); },
      };
    }
    case 'zones_unhealthy': {
      const zones = [...ZONES];
      rng.shuffle(zones);
      const bad = zones.slice(0, 2).sort();
      const startMs = slot([0, 24], false);
      const endMs = startMs + rng.int(60, 120) * MIN;
      const level = [rng.int(4, 8), rng.int(4, 8)];
      return {
        incident: {
          kind, startMs, endMs, entities: bad.map((zone) => ({ zone })), pageWithinMinutes: 10,
          description: `${bad.join(' and ')} report unhealthy routing flows; some partner calls time out`,
        },
        apply: (t, c) => {
          if (t < startMs || t >= endMs) return;
          const m = new Map(c.unhealthyFlows);
          bad.forEach((zone, i) => m.set(zone, Math.max(3, level[i]! + rng.int(-1, 1))));
          c.unhealthyFlows = m;
          c.partnerTimeoutShare = 0.03;
        },
      };
    }
    default:
      throw new Error(`no incident plan for ${kind as string}`);
  }
}

/** The quiet fortnight's healthy trouble: a restart, a scrape gap, deploy blips, a surge, zone blips. */
export function planNoise(fromMs: number, toMs: number, avoid: [number, number] | undefined, rng: Rng): NoiseEvent[] {
  const events: NoiseEvent[] = [];
  const place = (kind: NoiseKind, lengthMs: number, labels?: Record<string, string>): void => {
    for (let attempt = 0; attempt < 100; attempt++) {
      const startMs = Math.floor(rng.between(fromMs, toMs - lengthMs) / MIN) * MIN;
      const endMs = startMs + lengthMs;
      if (avoid && endMs > avoid[0] && startMs < avoid[1]) continue;
      if (events.some((e) => endMs + 30 * MIN > e.startMs && startMs < e.endMs + 30 * MIN)) continue;
      events.push(labels ? { kind, startMs, endMs, labels } : { kind, startMs, endMs });
      return;
    }
  };
  place('surge', 3 * HOUR);
  place('restart', MIN);
  place('scrape_gap', 10 * MIN);
  for (let i = 0; i < 3; i++) place('deploy_blip', 2 * MIN);
  for (let i = 0; i < 4; i++) place('zone_blip', rng.int(1, 2) * MIN, { zone: rng.pick(ZONES) });
  return events.sort((a, b) => a.startMs - b.startMs);
}

/** What the noise does to the world in the step of `stepMs` ending at `tMs`. Restarts and gaps are
 *  handled by the generator's loop. */
export function applyNoise(events: readonly NoiseEvent[], tMs: number, c: Conditions, rng: Rng, stepMs = MIN): void {
  for (const e of events) {
    if (tMs < e.startMs || tMs >= e.endMs) continue;
    if (e.kind === 'surge') c.trafficFactor *= 2.5;
    else if (e.kind === 'deploy_blip') c.serverErrorShare = 0.08;
    else if (e.kind === 'zone_blip') c.unhealthyFlows = new Map([...c.unhealthyFlows, [e.labels!.zone!, rng.int(3, 6)]]);
    else if (e.kind === 'partner_blip') c.errorShift = { partner: e.labels!.partner!, outcome: 'server_error', errorCode: '503', share: 0.3 + 0.3 * ((e.startMs / MIN) % 7) / 6 };
    // One timeout, whatever the scrape interval: only the step its minute begins in.
    else if (e.kind === 'stray_timeout' && tMs - stepMs < e.startMs) c.strayDbTimeout = e.labels!.db_operation_name;
  }
}

export { calmConditions };
