// Synthetic series for generated `promtool test rules` files: one point a minute over a timeline of
// normal traffic, an incident, and recovery. Counters are cumulative; `undefined` is a missing sample.
import type { LabelMatcher } from '../../../config/index.js';

export interface Timeline {
  /** Minutes of normal traffic before the incident (covers warm-up and baseline). */
  readonly normal: number;
  readonly incident: number;
  readonly recovery: number;
  /** Minute of a process restart during normal traffic: every counter starts again from 0. */
  readonly restartAt?: number;
  /** A scrape gap during normal traffic, [from, to) in minutes: no samples at all. */
  readonly gap?: readonly [number, number];
}

function inGap(t: Timeline, minute: number): boolean {
  return t.gap !== undefined && minute >= t.gap[0] && minute < t.gap[1];
}

export type Phase = 'normal' | 'incident' | 'recovery';

export function phaseAt(t: Timeline, minute: number): Phase {
  if (minute < t.normal) return 'normal';
  if (minute < t.normal + t.incident) return 'incident';
  return 'recovery';
}

export function totalMinutes(t: Timeline): number {
  return t.normal + t.incident + t.recovery;
}

/** A counter whose per-minute increase is `perMinute(minute, phase)`; undefined = series absent then. */
export function counter(t: Timeline, perMinute: (minute: number, phase: Phase) => number | undefined): (number | undefined)[] {
  const values: (number | undefined)[] = [];
  let total = 0;
  for (let m = 0; m <= totalMinutes(t); m++) {
    const inc = perMinute(m, phaseAt(t, m));
    if (inc === undefined) {
      values.push(undefined);
      continue;
    }
    // A restarted process counts from 0 again; during a scrape gap it keeps counting, unseen.
    total = m === t.restartAt ? inc : total + (m === 0 ? 0 : inc);
    values.push(inGap(t, m) ? undefined : total);
  }
  return values;
}

export function gauge(t: Timeline, value: (minute: number, phase: Phase) => number | undefined): (number | undefined)[] {
  const values: (number | undefined)[] = [];
  for (let m = 0; m <= totalMinutes(t); m++) values.push(inGap(t, m) ? undefined : value(m, phaseAt(t, m)));
  return values;
}

/** Deterministic noise in [-1, 1] (a hash of the minute), so generated files never change between runs. */
export function noise(minute: number, salt = 0): number {
  const x = Math.sin((minute + 1) * 12.9898 + salt * 78.233) * 43758.5453;
  return (x - Math.floor(x)) * 2 - 1;
}

export function renderValues(values: readonly (number | undefined)[]): string {
  return values.map((v) => (v === undefined ? '_' : formatNumber(v))).join(' ');
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(6)));
}

/** `metric{a="b", ...}` in promtool's series notation, labels sorted. */
export function seriesText(metric: string, labels: Readonly<Record<string, string>>): string {
  const parts = Object.keys(labels)
    .sort()
    .filter((k) => labels[k] !== '')
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return parts.length === 0 ? metric : `${metric}{${parts.join(', ')}}`;
}

const EXAMPLE_VALUES: Record<string, string> = {
  partner: 'acme-ehr',
  operation: 'GET /patients/{id}',
  db_operation_name: 'SELECT associations',
  zone: 'zone-a',
  queue: 'elation-sync',
};

/** A value for each `by` label, so a test's entity reads like a real one; `index` > 0 for siblings. */
export function exampleValue(label: string, index = 0): string {
  const base = EXAMPLE_VALUES[label] ?? `${label}-1`;
  if (index === 0) return base;
  return label === 'zone' ? `zone-${'abcdefgh'[index]}` : `${base}-${index + 1}`;
}

/**
 * Labels that satisfy the rule's matchers, or a reason why none can be derived (a regex we cannot
 * invert), in which case no unit test is generated for the rule and compile says so.
 */
export function labelsForMatchers(matchers: readonly LabelMatcher[]): Record<string, string> | string {
  const labels: Record<string, string> = {};
  for (const m of matchers) {
    switch (m.op) {
      case '=':
        labels[m.label] = m.value;
        break;
      case '!=':
        if (m.value === '') labels[m.label] = 'x';
        break;
      case '!~':
        if (new RegExp(`^(?:${m.value})$`).test('')) labels[m.label] = 'x';
        break;
      case '=~': {
        const candidate = m.value.split('|')[0]!.replace(/[()^$]/g, '');
        if (!new RegExp(`^(?:${m.value})$`).test(candidate)) return `cannot derive a value of ${m.label} matching /${m.value}/`;
        labels[m.label] = candidate;
        break;
      }
    }
  }
  return labels;
}
