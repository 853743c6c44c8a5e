// Durations as Prometheus writes them (`90s`, `5m`, `1h30m`, `1d`, `1w`), so a rule reads the same
// in our pack and in the Prometheus rules compiled from it.
import { z } from 'zod';

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const DURATION = /^(?:\d+(?:ms|s|m|h|d|w))+$/;
const PART = /(\d+)(ms|s|m|h|d|w)/g;

/** Milliseconds, or undefined when the text is not a duration. `0` alone means zero. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  if (!DURATION.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(PART)) total += Number(amount) * UNIT_MS[unit!]!;
  return total;
}

/** The shortest Prometheus spelling of a duration: 90000 -> `1m30s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let text = '';
  for (const unit of ['w', 'd', 'h', 'm', 's', 'ms']) {
    const size = UNIT_MS[unit]!;
    if (rest >= size) {
      text += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return text;
}

export const DURATION_FIX = 'write a number and a unit (ms, s, m, h, d, w), e.g. 30s, 5m or 1h30m';

/** Zod schema: a duration string in, milliseconds out. */
export const durationMs = z.union([z.string(), z.number()]).transform((value, ctx) => {
  if (typeof value === 'number' && value !== 0) {
    // `window: 5`: YAML hands us a number; Prometheus durations always carry their unit.
    const n = Number.isInteger(value) && value > 0 ? value : 5;
    ctx.issues.push({ code: 'custom', input: value, message: 'a duration needs a unit', params: { fix: `write ${n}m (or ${n}s, ${n}h)` } });
    return z.NEVER;
  }
  const ms = typeof value === 'number' ? value : parseDuration(value);
  if (ms === undefined) {
    ctx.issues.push({ code: 'custom', input: value, message: `bad duration ${JSON.stringify(value)}`, params: { fix: DURATION_FIX } });
    return z.NEVER;
  }
  return ms;
});
