// How the report writes numbers and times for a person: a share as a percentage, seconds as the unit a
// person would say (250 ms, 12 s, 5 h), and every time in one format, ISO 8601 in UTC (the `Z`), the
// zone every sentinel message uses. The chart script formats its axes with the same rules.
import type { ReportUnit } from './types.js';

/** `2026-03-09T10:05:00Z`; `undefined` is an alert still open when the recording ended. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** A length of time: `45 s`, `58 min`, `5 h`, `2.5 h`, `3 d`. */
export function humanDuration(ms: number): string {
  const s = ms / 1000;
  if (Math.abs(s) < 1) return `${trim(ms, 3)} ms`;
  if (Math.abs(s) < 60) return `${trim(s, 3)} s`;
  const min = s / 60;
  if (Math.abs(min) < 120) return `${trim(min, min < 10 ? 2 : 3)} min`;
  const h = min / 60;
  if (Math.abs(h) < 48) return `${trim(h, 2)} h`;
  return `${trim(h / 24, 2)} d`;
}

/** A rule's value in its unit: `100%`, `17.6%`, `250 ms`, `5 h`, `12,350`, `0.1761`. */
export function humanValue(value: number, unit: ReportUnit | undefined): string {
  if (!Number.isFinite(value)) return String(value);
  switch (unit) {
    case 'ratio':
      return `${trim(value * 100, 3)}%`;
    case 'seconds':
      return value === 0 ? '0 s' : humanDuration(value * 1000);
    default: {
      const n = Number(value.toPrecision(4));
      return Math.abs(n) >= 10_000 ? n.toLocaleString('en') : String(n);
    }
  }
}

/** `digits` significant digits, no trailing zeros, no exponent: 5.0 -> "5", 0.17612 -> "0.176". */
function trim(value: number, digits: number): string {
  if (value === 0) return '0';
  const rounded = Number(value.toPrecision(Math.max(digits, Math.ceil(Math.log10(Math.abs(value)) + 0.000001))));
  return String(Number(rounded.toFixed(6)));
}
