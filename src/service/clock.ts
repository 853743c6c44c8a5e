// The service's sense of time. In production it is the wall clock. `sentinel run --clock-speed N` runs
// it N times faster, for demos and for tests that must watch minutes of detector time (the detector
// evaluates every evaluation_interval; its rules think in minutes) in a few real seconds.
// Only the service's clock and its timers are scaled; network timeouts stay in real milliseconds.

export interface Clock {
  now(): number;
  /** Real milliseconds to wait for `ms` of service time. */
  realDelay(ms: number): number;
  /** After a restart, never run behind the time the saved state was written at (an accelerated clock
   *  would otherwise restart in the past of its own saved state). */
  resumeFrom(savedAtMs: number): void;
  /** The time outside callers (Slack's request timestamps) live in: the wall clock, even when the
   *  service's own clock is accelerated; a manual clock's own time in tests. */
  wallNow?(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  realDelay: (ms) => ms,
  resumeFrom: () => {},
  wallNow: () => Date.now(),
};

/** A clock driven by the caller (tests calling evaluateOnce with explicit instants). */
export function manualClock(now: () => number): Clock {
  return { now, realDelay: (ms) => ms, resumeFrom: () => {}, wallNow: now };
}

export function acceleratedClock(speed: number, startMs = Date.now()): Clock {
  if (!(speed >= 1)) throw new Error(`clock speed must be 1 or more, not ${speed}`);
  let origin = startMs;
  const realStart = performance.now();
  const now = (): number => Math.floor(origin + (performance.now() - realStart) * speed);
  return {
    now,
    realDelay: (ms) => ms / speed,
    wallNow: () => Date.now(),
    resumeFrom(savedAtMs) {
      const current = now();
      if (savedAtMs > current) origin += savedAtMs - current;
    },
  };
}
