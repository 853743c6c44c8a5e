// Test-only time scaling: the same rule with every duration multiplied, so the end-to-end test runs the
// compiler's real output against a real Prometheus in seconds instead of hours.
import type { Rule } from '../rules/index.js';

const DURATION_FIELDS = ['forMs', 'keepFiringForMs', 'warmUpMs', 'baselineMs', 'historyMs', 'maxOldestAgeMs'] as const;
// Range windows (and the stale window the warm-up guard looks in) need a few scrapes in them.
const WINDOW_FIELDS = ['windowMs', 'rateWindowMs', 'staleAfterMs'] as const;

export function scaleRule<R extends Rule>(rule: R, factor: number, minWindowMs = 5_000): R {
  if (factor === 1) return rule;
  const scaled: Record<string, unknown> = { ...rule };
  for (const field of DURATION_FIELDS) {
    const value = scaled[field];
    if (typeof value === 'number' && value > 0) scaled[field] = Math.max(1_000, Math.round((value * factor) / 1_000) * 1_000);
  }
  for (const field of WINDOW_FIELDS) {
    const value = scaled[field];
    if (typeof value === 'number') scaled[field] = Math.max(minWindowMs, Math.round((value * factor) / 1_000) * 1_000);
  }
  return scaled as R;
}

/** A scaled policy timer (group_wait, after:, ...), never below one second. */
export function scaleMs(ms: number, factor: number | undefined): number {
  if (factor === undefined || factor === 1 || ms === 0) return ms;
  return Math.max(1_000, Math.round((ms * factor) / 1_000) * 1_000);
}
