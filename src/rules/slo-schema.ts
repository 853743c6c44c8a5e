// The fields only `slo_burn` has: the objective (`99.5%`), its period, and the multiwindow,
// multi-burn-rate pairs, with the checks that make a pair able to fire at all. Kept apart from
// schema.ts, which spreads these into the kind's strict object.
import { z } from 'zod';
import { durationMs, formatDuration } from '../config/index.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The label that tells a rule's page alert from its ticket alert (`page`, `ticket`), as Sloth's `sloth_severity`. */
export const SLO_ALERT_LABEL = 'slo_alert';

/** The longest window a pair may read: 3d of 5-minute points is the state one entity keeps. */
export const LONGEST_BURN_WINDOW_MS = 7 * DAY;

/** `30d` rather than `4w2d`: periods and their windows are counted in days. */
export function daysText(ms: number): string {
  return ms % 86_400_000 === 0 ? `${ms / 86_400_000}d` : formatDuration(ms);
}

/** `99.5%`, `"99.5%"` or `99.5` (percent, as Sloth writes it) -> 0.995. */
export const objective = z.union([z.number(), z.string()], {
  error: (issue) => (issue.input === undefined ? 'missing: every slo_burn rule states its objective, e.g. objective: 99.5%' : 'write a percentage, e.g. objective: 99.5%'),
}).transform((value, ctx) => {
  const text = String(value).trim();
  const match = /^(\d+(?:\.\d+)?)\s*%?$/.exec(text);
  const percent = match ? Number(match[1]) : NaN;
  if (!Number.isFinite(percent) || percent < 50 || percent >= 100) {
    const asRatio = typeof value === 'number' && value > 0 && value < 1 ? ` (${value} reads as ${value}%; for a ratio of ${value} write ${Number((value * 100).toPrecision(6))}%)` : '';
    ctx.issues.push({
      code: 'custom',
      input: value,
      message: percent >= 100 ? `objective ${text} leaves no error budget: every failed call would burn it` : `objective ${JSON.stringify(value)} is not a percentage from 50% up to (not including) 100%${asRatio}`,
      params: { fix: 'write the share of calls that must succeed, e.g. objective: 99.5%' },
    });
    return z.NEVER;
  }
  return percent / 100;
});

export const burnWindow = z.strictObject({
  alert: z.enum(['page', 'ticket']),
  long: durationMs,
  short: durationMs,
  burn: z.number().positive(),
});

/**
 * The SRE workbook's pairs for a period, as shares of the error budget spent: 2% in 1h and 5% in 6h
 * page, 10% in 3d is a ticket. Over 30d these are burns of 14.4, 6 and 1.
 */
export function workbookWindows(periodMs: number): { alert: 'page' | 'ticket'; long: number; short: number; burn: number }[] {
  const burn = (share: number, longMs: number) => Number(((share * periodMs) / longMs).toFixed(4));
  return [
    { alert: 'page', long: HOUR, short: 5 * 60_000, burn: burn(0.02, HOUR) },
    { alert: 'page', long: 6 * HOUR, short: 30 * 60_000, burn: burn(0.05, 6 * HOUR) },
    { alert: 'ticket', long: 3 * DAY, short: 6 * HOUR, burn: burn(0.1, 3 * DAY) },
  ];
}

interface SloFields {
  objective: number;
  period: number;
  windows?: { alert: 'page' | 'ticket'; long: number; short: number; burn: number }[] | undefined;
}

/** Pairs that could never fire, or read further back than the state keeps, are errors at their line. */
export function checkBurnWindows(rule: SloFields, ctx: z.RefinementCtx): void {
  const budget = 1 - rule.objective;
  if (rule.period < DAY) {
    ctx.addIssue({ code: 'custom', path: ['period'], message: `period ${daysText(rule.period)} is shorter than a day: an error budget is spent over weeks`, params: { fix: 'write period: 30d (or 28d, 7d)' } });
  }
  (rule.windows ?? []).forEach((w, i) => {
    const at = (field: string) => ['windows', i, field];
    if (w.short >= w.long) {
      ctx.addIssue({ code: 'custom', path: at('short'), message: `windows[${i}]: short window ${daysText(w.short)} is not shorter than its long window ${daysText(w.long)}`, params: { fix: 'the short window confirms the burn is still going on: about a twelfth of the long one (1h and 5m)' } });
    }
    if (w.long > LONGEST_BURN_WINDOW_MS || w.long > rule.period) {
      ctx.addIssue({ code: 'custom', path: at('long'), message: `windows[${i}]: long window ${daysText(w.long)} is longer than ${w.long > rule.period ? `the period ${daysText(rule.period)}` : daysText(LONGEST_BURN_WINDOW_MS)}`, params: { fix: `use at most ${daysText(Math.min(rule.period, LONGEST_BURN_WINDOW_MS))} (the workbook's longest is 3d)` } });
    }
    if (w.burn * budget >= 1) {
      ctx.addIssue({ code: 'custom', path: at('burn'), message: `windows[${i}]: burn ${w.burn} can never be reached: with objective ${Number((rule.objective * 100).toPrecision(6))}% it means ${(w.burn * budget * 100).toFixed(0)}% of calls failing`, params: { fix: `use a burn below ${Number((1 / budget).toPrecision(3))} (all calls failing)` } });
    }
  });
}
