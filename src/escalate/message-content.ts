// What a responder reads about one alert at 3 a.m.: the rule's own summary (re-rendered from the
// allow-listed, scrubbed labels, never the detector's text), its runbook, and an explanation in words
// with humanized numbers ("times out on 37% of calls", "oldest event 12m old"), never a raw float.
// It works from what events carry (value, rule kind, labels) and, when the detector judged with one,
// its `explain` (window, counts, the normal it compared against and which reference): see fromDetector.
import { parseDuration } from '../config/duration.js';
import type { AlertExplain as DetectorExplain } from '../model/index.js';
import { renderSummary } from '../rules/template.js';
import { scrubValue } from './redact.js';

/** What the message says of the detector's judgement; every field optional, so older events still read. */
export interface AlertExplain {
  /** The window judged, in ms ("in the last 10 min"). */
  readonly windowMs?: number;
  /** What the detector measured, in its own unit (success_drop: the successes in the window). */
  readonly observed?: number;
  /** Counts behind a share: `count` of `total` calls. */
  readonly count?: number;
  readonly total?: number;
  /** The normal compared against, its band, and which reference it came from ("same hour last weeks"). */
  readonly normal?: number;
  readonly low?: number;
  readonly high?: number;
  readonly reference?: string;
  /** True when the value was never seen in the reference ("never seen in the 7 days before"). */
  readonly neverSeen?: boolean;
  readonly referenceMs?: number;
  readonly pValue?: number;
  /** The level the measure must fall back below to resolve. */
  readonly exitLevel?: number;
}

export interface ContentInput {
  readonly rule: string;
  readonly kind?: string;
  /** Allow-listed, scrubbed labels only. */
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly summaryTemplate?: string;
  readonly runbook?: string;
  readonly explain?: AlertExplain;
}

export interface AlertContent {
  /** The rule's summary with its labels and value filled in; absent when the rule's text is unknown. */
  readonly summary?: string;
  /** "times out on 37% of calls, normal 0.1%". */
  readonly explanation: string;
  /** The runbook URL, only when it is an http(s) link. */
  readonly runbook?: string;
}

/** How each kind's value reads; the default says the number. Kinds are those of src/rules/types.ts. */
const UNIT: Record<string, 'share' | 'ratio' | 'seconds' | 'age' | 'rate'> = {
  error_code_shift: 'share', error_rate: 'share', timeouts: 'share', routing_flows: 'share', slo_burn: 'ratio',
  success_drop: 'ratio', latency: 'seconds', queue_backlog: 'age', threshold: 'rate',
};

/** The detector's explain (model/alerts.ts) in the words a message uses. A share never seen in its
 *  reference (normal 0) reads "never seen in the … before" rather than "normal is 0%". */
export function fromDetector(e: DetectorExplain): AlertExplain {
  const windowMs = e.window !== undefined ? parseDuration(e.window) : undefined;
  const trailing = /trailing (\S+)/.exec(e.reference)?.[1] ?? /over the (\S+) before/.exec(e.reference)?.[1];
  const referenceMs = trailing !== undefined ? parseDuration(trailing) : undefined;
  const neverSeen = e.normal === 0 && e.total !== undefined && e.count !== undefined && e.count > 0;
  return {
    ...(windowMs !== undefined && Number.isFinite(windowMs) ? { windowMs } : {}),
    observed: e.observed,
    ...(e.count !== undefined ? { count: e.count } : {}),
    ...(e.total !== undefined ? { total: e.total } : {}),
    ...(e.normal !== undefined ? { normal: e.normal } : {}),
    ...(e.lower !== undefined ? { low: e.lower } : {}),
    ...(e.upper !== undefined && e.lower !== undefined ? { high: e.upper } : {}),
    ...(neverSeen ? { neverSeen: true } : {}),
    ...(referenceMs !== undefined && Number.isFinite(referenceMs) ? { referenceMs } : {}),
    ...(e.pValue !== undefined ? { pValue: e.pValue } : {}),
    ...(e.exit !== undefined ? { exitLevel: e.exit } : {}),
  };
}

export function alertContent(input: ContentInput): AlertContent {
  const unit = input.kind ? UNIT[input.kind] : undefined;
  // $value in the rule's own words, humanized here as in the explanation (one rounding everywhere).
  const template = input.summaryTemplate?.replace(/\{\{\s*\$value\s*(?:\|\s*(humanize|humanizePercentage|humanizeDuration)\s*)?\}\}/g, (_all, fn: string | undefined) =>
    fn === 'humanizePercentage' ? percent(input.value) : fn === 'humanizeDuration' ? seconds(input.value) : number(input.value));
  const summary = template !== undefined ? renderSummary(template, input.labels, input.value) : undefined;
  return {
    summary: summary === undefined ? undefined : scrubValue(summary.replace(/\s+/g, ' ').trim()),
    explanation: explain(input, unit),
    runbook: input.runbook && /^https?:\/\/[^\s<>|]+$/.test(input.runbook) ? input.runbook : undefined,
  };
}

function explain(input: ContentInput, unit: (typeof UNIT)[string] | undefined): string {
  const e = input.explain ?? {};
  const window = e.windowMs !== undefined ? ` in the last ${span(e.windowMs)}` : '';
  const what = measured(input, unit, e) + window;
  // success_drop's value is a share of normal, but its normal is a count of successes in the window.
  const normal = normalText(input.kind === 'success_drop' ? undefined : unit, e);
  return normal ? `${what}; ${normal}` : what;
}

function measured(input: ContentInput, unit: (typeof UNIT)[string] | undefined, e: AlertExplain): string {
  const v = input.value;
  const code = input.labels.error_code;
  const counts = e.count !== undefined && e.total !== undefined ? `${count(e.count)} of ${count(e.total)} calls` : undefined;
  switch (input.kind) {
    case 'error_code_shift': return counts ? `${code ?? 'the new code'} on ${counts} (${percent(v)})` : `answers ${code ?? 'a new code'} to ${percent(v)} of calls`;
    case 'error_rate': return counts ? `${counts} fail (${percent(v)})` : `${percent(v)} of calls fail`;
    case 'timeouts': return counts ? `times out on ${counts} (${percent(v)})` : `times out on ${percent(v)} of calls`;
    case 'routing_flows': return `${percent(v)} of routing flows unhealthy`;
    case 'success_drop': {
      const successes = e.count ?? e.observed;
      return successes !== undefined ? `${count(successes)} successes, ${percent(v)} of normal` : `successes at ${percent(v)} of normal`;
    }
    case 'latency': return `mean duration ${seconds(v)}`;
    case 'queue_backlog': return `oldest pending event ${seconds(v)} old`;
    case 'slo_burn': return `error budget burning ${number(v)}x the sustainable rate`;
    // A threshold's value has no unit the rule states: its number, three significant digits.
    default: return `value ${Number.isInteger(v) ? String(v) : Number.isFinite(v) ? v.toPrecision(3) : 'unknown'}`;
  }
}

function normalText(unit: (typeof UNIT)[string] | undefined, e: AlertExplain): string | undefined {
  if (e.neverSeen) return `never seen in the ${e.referenceMs !== undefined ? span(e.referenceMs).replace(/^(\d+)h$/, (_, h: string) => (Number(h) % 24 === 0 ? `${Number(h) / 24} days` : `${h}h`)) : 'reference'} before`;
  if (e.normal === undefined) return undefined;
  const say = (x: number): string => (unit === 'share' || unit === 'ratio' ? percent(x) : unit === 'seconds' || unit === 'age' ? seconds(x) : number(x));
  const band = e.low !== undefined && e.high !== undefined ? ` (${say(e.low)}-${say(e.high)})` : '';
  const ref = e.reference ? ` for ${e.reference}` : '';
  return `normal${ref} is ${say(e.normal)}${band}`;
}

/** 0.538 -> "54%", 0.001 -> "0.1%", 0.00002 -> "under 0.01%". */
export function percent(share: number): string {
  if (!Number.isFinite(share)) return 'unknown';
  const p = share * 100;
  if (p === 0) return '0%';
  if (Math.abs(p) < 0.01) return 'under 0.01%';
  if (Math.abs(p) < 1) return `${trim(p.toFixed(2))}%`;
  if (Math.abs(p) < 10) return `${trim(p.toFixed(1))}%`;
  return `${Math.round(p)}%`;
}

/** 0.0042 -> "4 ms", 2.5 -> "2.5 s", 754 -> "12m 34s", 7300 -> "2h 2m". */
export function seconds(s: number): string {
  if (!Number.isFinite(s)) return 'unknown';
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 60) return `${trim(s.toFixed(1))} s`;
  const total = Math.round(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  if (h > 0) return `${h}h${m > 0 ? ` ${m}m` : ''}`;
  return `${m}m${sec > 0 ? ` ${sec}s` : ''}`;
}

/** Counts: "1,204". */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Any other number, three significant digits at most: "0.125", "12.3", "1,204". */
export function number(n: number): string {
  if (!Number.isFinite(n)) return 'unknown';
  if (Math.abs(n) >= 100) return count(n);
  return trim(n.toPrecision(3));
}

function trim(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** `2h 5m`, `10m`: the same words as the messages' other spans. */
function span(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? `${h}h${m > 0 ? ` ${m}m` : ''}` : `${m}m`;
}
