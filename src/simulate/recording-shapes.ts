// The shapes real incidents take (issue 11), beside the clean postmortems of recording-scenarios.ts:
// a new code ramping over hours at night, a partial drop of one operation, a query creeping slower for
// days until it times out, a share hovering around a threshold, a queue stuck behind a rate limit;
// and a quiet month that must page nothing. Timing and levels are drawn from the seed.
import type { Rng } from './recording-random.js';
import { PARTNER_OPERATIONS, ZONES, DB_OPERATIONS, DB_TIMEOUT_SECONDS, type Conditions } from './recording-world.js';
import type { Incident, IncidentPlan, NoiseEvent } from './recording-scenarios.js';

export type ShapeName = 'code_ramp' | 'partial_drop' | 'latency_creep' | 'hovering_share' | 'queue_rate_limited';
export const SHAPES: readonly ShapeName[] = ['code_ramp', 'partial_drop', 'latency_creep', 'hovering_share', 'queue_rate_limited'];

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

type Slot = (hours: [number, number], weekdaysOnly: boolean) => number;

export function planShape(kind: ShapeName, slot: Slot, rng: Rng, level?: number): IncidentPlan {
  switch (kind) {
    case 'code_ramp': {
      // Each integration's token expires at its own time: the new code's share climbs 0 -> 90 %.
      const partner = rng.pick(['acme_ehr', 'labcorp_like', 'pharmacy']);
      const startMs = slot([0, 3], false);
      const rampMs = rng.int(150, 210) * MIN;
      const endMs = startMs + rampMs + rng.int(2, 3) * HOUR;
      const share = (t: number): number => 0.9 * Math.min(1, (t - startMs) / rampMs);
      return {
        incident: {
          kind, startMs, endMs, entities: [{ partner }], pageWithinMinutes: 45,
          pageByMs: Math.min(startMs + 45 * MIN, startMs + (rampMs * 0.25) / 0.9),
          description: `${partner} answers a new invalid_grant code as its tokens expire one by one: 0 to 90 % of calls over ${Math.round(rampMs / MIN)} min, at night`,
        },
        apply: (t, c) => { if (t >= startMs && t < endMs) c.errorShift = { partner, outcome: 'auth_error', errorCode: 'invalid_grant', share: share(t) }; },
      };
    }
    case 'partial_drop': {
      const candidates = PARTNER_OPERATIONS.filter((o) => o.peakPerMin >= 6);
      const op = rng.pick(candidates);
      const drawn = rng.between(0.3, 0.6);
      const share = level ?? drawn;
      const startMs = slot([9, 13], true);
      const endMs = startMs + rng.int(2, 4) * HOUR;
      const key = op.partner + ' ' + op.operation;
      return {
        incident: {
          kind, startMs, endMs, entities: [{ partner: op.partner, operation: op.operation }], pageWithinMinutes: 30,
          description: `${key}: successes fall to ${Math.round(share * 100)} % of normal in business hours, no error anywhere`,
        },
        apply: (t, c) => { if (t >= startMs && t < endMs) c.operationFactor = new Map([...c.operationFactor, [key, share]]); },
      };
    }
    case 'latency_creep': {
      // Slow for days (the band must not learn it), then timeouts from a few percent to ~40 %.
      const name = 'associate_submitter';
      const base = DB_OPERATIONS.find((d) => d.name === name)!.medianSeconds;
      const startMs = slot([0, 24], false);
      const slowdownStartMs = startMs - rng.int(48, 72) * HOUR;
      const riseMs = rng.int(90, 180) * MIN;
      const endMs = startMs + rng.int(4, 8) * HOUR;
      const first = rng.between(0.01, 0.03);
      const share = (t: number): number => first + (0.4 - first) * Math.min(1, (t - startMs) / riseMs);
      const fivePercentMs = startMs + (riseMs * Math.max(0, 0.05 - first)) / (0.4 - first);
      const top = DB_TIMEOUT_SECONDS * 0.8;
      const growth = Math.log(top / base);
      return {
        incident: {
          kind, startMs, endMs, slowdownStartMs, entities: [{ db_operation_name: name }], pageWithinMinutes: Math.ceil((fivePercentMs - startMs) / MIN) + 20,
          pageByMs: fivePercentMs + 20 * MIN, warnBeforeMs: startMs,
          description: `${name} creeps slower over ${Math.round((startMs - slowdownStartMs) / HOUR)} h (x${Math.round(top / base)}), then times out on ${Math.round(first * 100)} % rising to 40 % of calls`,
        },
        apply: (t, c) => {
          if (t >= slowdownStartMs && t < startMs) c.slowDb = { name, medianSeconds: base * Math.exp((growth * (t - slowdownStartMs)) / (startMs - slowdownStartMs)) };
          else if (t >= startMs && t < endMs) {
            c.slowDb = { name, medianSeconds: top };
            c.dbTimeoutShare = share(t);
          }
        },
      };
    }
    case 'hovering_share': {
      const zones = [...ZONES];
      rng.shuffle(zones);
      const bad = zones.slice(0, 2).sort();
      const partner = rng.pick(['acme_ehr', 'labcorp_like', 'pharmacy']);
      const startMs = slot([8, 16], false);
      const endMs = startMs + rng.int(3, 5) * HOUR;
      return {
        incident: {
          kind, startMs, endMs, entities: [...bad.map((zone) => ({ zone })), { partner }], pageWithinMinutes: 10,
          description: `${bad.join(' and ')} unhealthy and ${partner} timing out on 25-35 % of calls for hours`,
        },
        apply: (t, c) => {
          if (t < startMs || t >= endMs) return;
          const m = new Map(c.unhealthyFlows);
          for (const zone of bad) m.set(zone, rng.int(3, 6));
          c.unhealthyFlows = m;
          c.partnerTimeoutBy = new Map([[partner, rng.between(0.25, 0.35)]]);
        },
      };
    }
    case 'queue_rate_limited': {
      const queue = 'lab_results';
      const startMs = slot([9, 15], true);
      const endMs = startMs + rng.int(2, 4) * HOUR;
      // The consumer calls a partner that now allows this many events a minute.
      const limit = rng.between(1, 3);
      return {
        incident: {
          kind, startMs, endMs, entities: [{ queue }], pageWithinMinutes: 25,
          description: `${queue}: the consumer is rate limited to ${limit.toFixed(1)} events a minute; the backlog grows`,
        },
        apply: (t, c) => { if (t >= startMs && t < endMs) c.queueRateLimit = new Map([[queue, limit]]); },
      };
    }
  }
}

/** The quiet month's slow changes (none of them an incident): traffic growth, a daylight-saving shift,
 *  a partner onboarded mid-month and ramping up, a new operation, a nightly batch, a week at double latency. */
export function monthConditions(startMs: number, rng: Rng): { apply: (t: number, c: Conditions) => void; notes: NoiseEvent[] } {
  const dstMs = startMs + rng.int(10, 16) * DAY + 3 * HOUR;
  const onboardMs = startMs + rng.int(8, 12) * DAY + 10 * HOUR;
  const newOperationMs = startMs + rng.int(15, 20) * DAY + 11 * HOUR;
  const slowWeekMs = startMs + rng.int(3, 20) * DAY;
  const batchFactor = rng.between(4, 8);
  const notes: NoiseEvent[] = [
    { kind: 'dst_shift', startMs: dstMs, endMs: startMs + 31 * DAY },
    { kind: 'onboarding', startMs: onboardMs, endMs: onboardMs + 7 * DAY, labels: { partner: 'pharmacy' } },
    { kind: 'new_operation', startMs: newOperationMs, endMs: startMs + 31 * DAY, labels: { partner: 'acme_ehr', operation: 'GET /appointments' } },
    { kind: 'double_latency', startMs: slowWeekMs, endMs: slowWeekMs + 7 * DAY, labels: { partner: 'labcorp_like' } },
  ];
  const pharmacy = PARTNER_OPERATIONS.filter((o) => o.partner === 'pharmacy').map((o) => o.partner + ' ' + o.operation);
  const labcorp = PARTNER_OPERATIONS.filter((o) => o.partner === 'labcorp_like').map((o) => o.partner + ' ' + o.operation);
  return {
    notes,
    apply: (t, c) => {
      c.trafficFactor *= 1 + (0.3 * (t - startMs)) / (30 * DAY);
      if (t >= dstMs) c.clockShiftMs = -HOUR;
      const factors = new Map(c.operationFactor);
      const onboarded = Math.max(0, Math.min(1, (t - onboardMs) / (7 * DAY)));
      for (const key of pharmacy) factors.set(key, onboarded);
      if (t < newOperationMs) factors.set('acme_ehr GET /appointments', 0);
      c.operationFactor = factors;
      if (t >= slowWeekMs && t < slowWeekMs + 7 * DAY) c.latencyFactor = new Map(labcorp.map((k) => [k, 2]));
      const minuteOfDay = Math.floor((t % DAY) / MIN);
      if (minuteOfDay >= 60 && minuteOfDay < 100) c.dbRateFactor = new Map([['update_visit', batchFactor / 0.08]]);
    },
  };
}

/** The quiet month's trouble: restarts, scrape gaps up to 30 minutes, partners' own deploy blips, a
 *  surge, single stray timeouts of a busy query, single-zone blips. */
export function planMonthNoise(fromMs: number, toMs: number, rng: Rng): NoiseEvent[] {
  const events: NoiseEvent[] = [];
  const place = (kind: NoiseEvent['kind'], lengthMs: number, labels?: Record<string, string>, spacingMs = 30 * MIN): void => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const startMs = Math.floor(rng.between(fromMs, toMs - lengthMs) / MIN) * MIN;
      const endMs = startMs + lengthMs;
      if (events.some((e) => endMs + spacingMs > e.startMs && startMs < e.endMs + spacingMs)) continue;
      events.push(labels ? { kind, startMs, endMs, labels } : { kind, startMs, endMs });
      return;
    }
  };
  place('surge', 3 * HOUR);
  for (let i = 0; i < 3; i++) place('restart', MIN);
  for (const minutes of [10, 20, 30]) place('scrape_gap', minutes * MIN);
  for (let i = 0; i < 6; i++) place('partner_blip', rng.int(2, 5) * MIN, { partner: rng.pick(['acme_ehr', 'labcorp_like', 'pharmacy', 'registry']) });
  for (let i = 0; i < 3; i++) place('deploy_blip', 2 * MIN);
  for (let i = 0; i < 8; i++) place('zone_blip', rng.int(1, 2) * MIN, { zone: rng.pick(ZONES) });
  for (let i = 0; i < 30; i++) place('stray_timeout', MIN, { db_operation_name: 'find_patient' }, 20 * MIN);
  return events.sort((a, b) => a.startMs - b.startMs);
}
