// Plays recorded time at a pace a person can follow: the days of healthy lead-in go by as fast as the
// detector can read them, the incident's window plays at a chosen speed, and each message
// that arrives holds the play for a moment so it can be read. Clock and sleep are arguments (tests).

/** Recorded milliseconds per wall millisecond, or 'max' for no pacing at all. */
export type Speed = number | 'max';

/** A stretch of recorded time played at one speed. */
export interface PlaySegment {
  readonly fromMs: number;
  readonly toMs: number;
  /** Recorded ms per wall ms. */
  readonly speed: number;
}

export interface PacerOptions {
  /** Played stretches, in order (where two touch, the first wins); outside them the replay runs flat out. */
  readonly segments: readonly PlaySegment[];
  /** Wall-clock pause after each arrival (0: none). */
  readonly holdMs: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** How far behind the wall clock may fall (slow machine) before the pacer stops trying to catch up. */
const MAX_LAG_MS = 500;

export class Pacer {
  private anchor: { wallMs: number; recordedMs: number; segment: PlaySegment } | undefined;
  private readonly options: PacerOptions;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: PacerOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Waits until `recordedMs` is due on the wall clock. */
  async reach(recordedMs: number): Promise<void> {
    const segment = this.options.segments.find((s) => recordedMs >= s.fromMs && recordedMs <= s.toMs);
    if (!segment) {
      this.anchor = undefined; // fast-forward; the next played moment starts a fresh anchor
      return;
    }
    const now = this.now();
    if (this.anchor?.segment !== segment) {
      this.anchor = { wallMs: now, recordedMs, segment };
      return;
    }
    const due = this.anchor.wallMs + (recordedMs - this.anchor.recordedMs) / segment.speed;
    if (due > now) await this.sleep(due - now);
    else if (now - due > MAX_LAG_MS) this.anchor = { wallMs: now, recordedMs, segment }; // behind: play on from here, no rush
  }

  /** Holds the play after something was printed, so the next lines do not scroll it away at once. */
  async hold(): Promise<void> {
    if (this.options.holdMs <= 0 || this.options.segments.length === 0) return;
    await this.sleep(this.options.holdMs);
    if (this.anchor) this.anchor.wallMs += this.options.holdMs;
  }
}

/** The speed at which `fromMs..toMs` of recorded time plays in `wallMs`. */
export function speedToFit(fromMs: number, toMs: number, wallMs: number): number {
  return Math.max(1, (toMs - fromMs) / wallMs);
}

/** How `sentinel demo` plays an incident: at a fixed speed from a little before it to a little after,
 *  or ('auto') its onset (up to the partner e-mail's timer) in about `wallMs / 2` and the rest in
 *  about as long again, so the page and the escalation are not over in a blink. */
export function playSegments(incident: { startMs: number; endMs: number }, speed: Speed | 'auto', wallMs: number): PlaySegment[] {
  const fromMs = incident.startMs - 10 * 60_000;
  const toMs = incident.endMs + 45 * 60_000;
  if (speed === 'max') return [];
  if (speed !== 'auto') return [{ fromMs, toMs, speed }];
  const onsetEndMs = Math.min(incident.startMs + 45 * 60_000, toMs);
  return [
    { fromMs, toMs: onsetEndMs, speed: speedToFit(fromMs, onsetEndMs, wallMs / 2) },
    { fromMs: onsetEndMs, toMs, speed: speedToFit(onsetEndMs, toMs, wallMs / 2) },
  ];
}
