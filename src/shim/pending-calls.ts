// Successful fetch calls waiting to be counted. Counting a call means walking the route trie to its
// series and updating a counter and a histogram: 0.5 µs with that code and data in cache, but 2-3 µs
// when done right after each response, because the HTTP client's own work between two calls has
// evicted them (measured in bench/shim.bench.ts: shimmed minus bare fetch). So the hot path only
// writes (who, url, method, seconds) into preallocated arrays, and the calls are counted together,
// warm, when the arrays are full and before anything reads the series: every collection (our
// observable callbacks, which the SDK runs before it reads sync instruments, and our histogram
// producer), a meter (re)binding and the no-op watch. A scrape therefore never misses a call that
// returned before it, and a call's counter and histogram are still updated in the same step.
import { registry, slot, slotKey } from './registry.js';

/** Who counts a pending call: finds its series and records it. May throw (labelling failed): the
 * call is then left uncounted, as a call whose labelling fails always was. */
export interface PendingOwner {
  countPending(url: string, method: string | undefined, seconds: number): void;
}

/** Small enough that a full flush (~256 × 0.2 µs) stays out of a p99, large enough to stay warm. */
export const PENDING_CAPACITY = 256;

export class PendingCalls {
  private readonly owners: (PendingOwner | undefined)[] = new Array<PendingOwner | undefined>(PENDING_CAPACITY).fill(undefined);
  // The URLs are held only until the flush, and only their method and path template are ever read.
  private readonly urls: (string | undefined)[] = new Array<string | undefined>(PENDING_CAPACITY).fill(undefined);
  private readonly methods: (string | undefined)[] = new Array<string | undefined>(PENDING_CAPACITY).fill(undefined);
  private readonly seconds = new Float64Array(PENDING_CAPACITY);
  private size = 0;

  add(owner: PendingOwner, url: string, method: string | undefined, seconds: number): void {
    const i = this.size;
    this.owners[i] = owner;
    this.urls[i] = url;
    this.methods[i] = method;
    this.seconds[i] = seconds;
    this.size = i + 1;
    if (this.size === PENDING_CAPACITY) this.flush();
  }

  get pending(): number {
    return this.size;
  }

  /** Counts every pending call now. */
  flush(): void {
    const n = this.size;
    this.size = 0;
    for (let i = 0; i < n; i++) {
      try {
        this.owners[i]!.countPending(this.urls[i]!, this.methods[i], this.seconds[i]!);
      } catch {
        // never let labelling break anything: this call goes uncounted
      }
      this.owners[i] = undefined;
      this.urls[i] = undefined;
      this.methods[i] = undefined;
    }
  }
}

// In a registry slot, so two copies of the shim in one process share one buffer, and a reset drops it.
const PENDING = slotKey('pending-calls', () => new PendingCalls());

/** The process's buffer, created on first use: looked up when a wrapper is built, not per call. */
export function pendingCalls(): PendingCalls {
  return slot(PENDING);
}

/** Counts the pending calls, if any: called before anything reads the request series. */
export function flushPendingCalls(): void {
  (registry().slots.get(PENDING.name) as PendingCalls | undefined)?.flush();
}
