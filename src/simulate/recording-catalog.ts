// The healthy world's catalogue: partners and their operations, database operations, zones and
// queues (label names as in the metric contract, model/metrics.ts), the seasonal traffic shape, and the
// per-seed variation `vary: true` draws.
import type { Rng } from './recording-random.js';

export interface PartnerOperation {
  readonly partner: string;
  readonly operation: string;
  /** Calls a minute at the weekday peak (or flat, when not seasonal). */
  readonly peakPerMin: number;
  readonly medianSeconds: number;
  readonly seasonal: boolean;
  /** The partner's own code for expired credentials (classify hook), or the plain status. */
  readonly authErrorCode: string;
  /** Which background errors this operation sees now and then (keeps the series count realistic). */
  readonly background: ReadonlyArray<'404' | '400' | 'auth' | '500' | 'timeout' | 'ncpdp'>;
}

export const PARTNER_OPERATIONS: readonly PartnerOperation[] = [
  { partner: 'acme_ehr', operation: 'GET /patients/{id}', peakPerMin: 40, medianSeconds: 0.12, seasonal: true, authErrorCode: 'token_expired', background: ['404', 'auth', '500'] },
  { partner: 'acme_ehr', operation: 'POST /check-ins', peakPerMin: 15, medianSeconds: 0.2, seasonal: true, authErrorCode: 'token_expired', background: ['400', 'auth'] },
  { partner: 'acme_ehr', operation: 'GET /appointments', peakPerMin: 10, medianSeconds: 0.15, seasonal: true, authErrorCode: 'token_expired', background: ['auth'] },
  { partner: 'labcorp_like', operation: 'POST /orders', peakPerMin: 8, medianSeconds: 0.35, seasonal: true, authErrorCode: '401', background: ['400', 'auth'] },
  // A SOAP action: its quotes and backslash exercise label-value escaping in every reader.
  { partner: 'labcorp_like', operation: 'SOAP "Results\\Get"', peakPerMin: 12, medianSeconds: 0.6, seasonal: true, authErrorCode: '401', background: ['404', '500', 'timeout'] },
  { partner: 'pharmacy', operation: 'POST /prescriptions', peakPerMin: 6, medianSeconds: 0.25, seasonal: true, authErrorCode: '401', background: ['400', 'auth', 'ncpdp'] },
  { partner: 'pharmacy', operation: 'GET /prescriptions/{id}/status', peakPerMin: 9, medianSeconds: 0.1, seasonal: true, authErrorCode: '401', background: ['404'] },
  // The low-rate partner: 0.4 calls a minute around the clock.
  { partner: 'registry', operation: 'POST /immunizations', peakPerMin: 0.4, medianSeconds: 0.8, seasonal: false, authErrorCode: '401', background: ['400'] },
];

export const DB_OPERATIONS = [
  { name: 'find_patient', peakPerMin: 30, medianSeconds: 0.004 },
  { name: 'associate_submitter', peakPerMin: 6, medianSeconds: 0.05 },
  { name: 'insert_registration', peakPerMin: 5, medianSeconds: 0.01 },
  { name: 'update_visit', peakPerMin: 12, medianSeconds: 0.008 },
] as const;

export const ZONES = ['eu-west-2a', 'eu-west-2b', 'eu-west-2c'] as const;
export const QUEUES = [
  { queue: 'registrations', eventType: 'patient.registered', peakPerMin: 5 },
  { queue: 'lab_results', eventType: 'result.received', peakPerMin: 8 },
] as const;

/** Per-seed differences between healthy worlds (`vary: true`), so rules are not tuned to one shape. */
export interface Variation {
  /** Multiplier of each operation's rate, by `partner operation`, db operation name or queue name. */
  readonly rate: ReadonlyMap<string, number>;
  /** Multiplier of each operation's median latency (same keys). */
  readonly latency: ReadonlyMap<string, number>;
  /** Multiplier of every background error rate. */
  readonly errorScale: number;
  /** Night traffic as a share of the weekday peak, weekend days as a share of weekdays, peak shift (h). */
  readonly nightFloor: number;
  readonly weekendShare: number;
  readonly peakShiftHours: number;
}

export const NO_VARIATION: Variation = { rate: new Map(), latency: new Map(), errorScale: 1, nightFloor: 0.08, weekendShare: 0.3, peakShiftHours: 0 };

export function drawVariation(rng: Rng): Variation {
  const rate = new Map<string, number>();
  const latency = new Map<string, number>();
  const keys = [...PARTNER_OPERATIONS.map((o) => o.partner + ' ' + o.operation), ...DB_OPERATIONS.map((d) => d.name), ...QUEUES.map((q) => q.queue)];
  for (const k of keys) {
    // The 0.4 calls/min partner stays at 0.4: that is the point of it.
    rate.set(k, k.startsWith('registry ') ? 1 : Math.exp(rng.between(Math.log(0.4), Math.log(2.5))));
    latency.set(k, Math.exp(rng.between(Math.log(0.5), Math.log(2))));
  }
  return {
    rate, latency, errorScale: Math.exp(rng.between(Math.log(0.3), Math.log(3))),
    nightFloor: rng.between(0.03, 0.15), weekendShare: rng.between(0.15, 0.5), peakShiftHours: rng.between(-2, 2),
  };
}

/** Weekday business-hours peak, quiet nights (~8%) and weekends (~30% of a weekday). UTC is local time. */
export function seasonalFactor(tMs: number, v: Variation = NO_VARIATION): number {
  const d = new Date(tMs);
  const hour = d.getUTCHours() + d.getUTCMinutes() / 60 - v.peakShiftHours;
  const dow = d.getUTCDay();
  const bump = hour > 6 && hour < 21 ? Math.pow(Math.sin((Math.PI * (hour - 6)) / 15), 1.5) : 0;
  const day = v.nightFloor + (1 - v.nightFloor) * bump;
  return dow === 0 || dow === 6 ? v.weekendShare * day + 0.02 : day;
}
