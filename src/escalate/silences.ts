// Silences as Alertmanager's silence/ package has them: matchers with a start, an end, an author and a
// comment. Expiring sets the end to now (history is kept for a while, then collected).
import type { Labels } from '../model/index.js';
import type { LabelMatcher } from '../policy/types.js';
import { matches, MatcherError, toMatchers } from '../policy/matchers.js';
import { shortHash } from './state.js';
import type { Silence, SilenceInput, SilenceStatus, SilenceView } from './types.js';

/** Expired silences stay listed this long, as Alertmanager's default retention. */
export const SILENCE_RETENTION_MS = 5 * 86_400_000;

export class SilenceError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

export function silenceStatus(s: Silence, nowMs: number): SilenceStatus {
  if (nowMs < s.startsAtMs) return 'pending';
  if (nowMs < s.endsAtMs) return 'active';
  return 'expired';
}

export function viewSilence(s: Silence, nowMs: number): SilenceView {
  return { ...s, status: silenceStatus(s, nowMs) };
}

/** Validates input into a new Silence; the id is derived from content and sequence, never random. */
export function newSilence(input: SilenceInput, nowMs: number, seq: number, known: readonly Labels[] = []): Silence {
  let matchers;
  try {
    matchers = toMatchers(input.matchers);
  } catch (error) {
    if (error instanceof MatcherError) throw new SilenceError(error.message, error.fix);
    throw error;
  }
  if (matchers.length === 0) throw new SilenceError('a silence needs at least one matcher', 'add a matcher such as partner="elation"');
  if (mutesEverything(matchers, known)) {
    throw new SilenceError('a silence whose matchers match every alert would mute everything', 'name the partner, rule or zone to silence');
  }
  const startsAtMs = Math.max(input.startsAtMs ?? nowMs, nowMs);
  if (!Number.isFinite(input.endsAtMs) || input.endsAtMs <= startsAtMs) {
    throw new SilenceError('a silence must end after it starts (and after now)', 'give an end time in the future');
  }
  if (!input.createdBy?.trim()) throw new SilenceError('a silence needs an author', 'set createdBy to who is silencing');
  if (!input.comment?.trim()) throw new SilenceError('a silence needs a comment', 'say why (e.g. the partner announced maintenance)');
  const id = `s-${shortHash(`${seq}|${nowMs}|${JSON.stringify(matchers)}`)}`;
  return { id, matchers, startsAtMs, endsAtMs: input.endsAtMs, createdBy: input.createdBy.trim(), comment: input.comment.trim(), updatedAtMs: nowMs };
}

/** Label names every alert carries (routing labels), whatever the rule. */
const ALWAYS_PRESENT = ['rule', 'severity'];
/** Values no real alert has: if a silence matches alerts made of these, it matches any alert. */
const PROBE_VALUES = ['zq-probe-7f3a', 'Q', '0', 'probe value with spaces and é', 'x'.repeat(64)];

/** Tested against alerts, not read from the text: `rule=~"(.*)"`, `rule=~".+"`, `severity!="none"` and
 *  `partner=~"elation|.*"` all match invented alerts with made-up values for every label the silence
 *  names (plus the alerts firing now), so each is refused however it is spelled. */
function mutesEverything(matchers: readonly LabelMatcher[], known: readonly Labels[]): boolean {
  const names = [...new Set([...ALWAYS_PRESENT, ...matchers.map((m) => m.label)])];
  const probes: Labels[] = PROBE_VALUES.map((value) => Object.fromEntries(names.map((name) => [name, value])));
  return [...probes, ...known].every((labels) => matches(matchers, labels));
}

export function isSilenced(silences: readonly Silence[], labels: Labels, nowMs: number): boolean {
  return silences.some((s) => silenceStatus(s, nowMs) === 'active' && matches(s.matchers, labels));
}

/** Returns the expired copy, or undefined when unknown or already expired. */
export function expireSilence(silences: Silence[], id: string, nowMs: number): Silence | undefined {
  const index = silences.findIndex((s) => s.id === id);
  const found = silences[index];
  if (!found || silenceStatus(found, nowMs) === 'expired') return undefined;
  const expired: Silence = { ...found, startsAtMs: Math.min(found.startsAtMs, nowMs), endsAtMs: nowMs, updatedAtMs: nowMs };
  silences[index] = expired;
  return expired;
}

/** Drops silences expired longer than the retention. */
export function collectSilences(silences: readonly Silence[], nowMs: number): Silence[] {
  return silences.filter((s) => nowMs - s.endsAtMs < SILENCE_RETENTION_MS);
}
