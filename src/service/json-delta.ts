// What changed between two versions of a plain JSON document, as a compact delta, and how to apply it.
// The state journal (state-journal.ts) appends one delta per evaluation instead of rewriting the whole
// detector snapshot: at 100 k series only each binding's last value and time and each entity's sliding
// windows move, so a delta names big objects' members by position (not by their 100-byte series keys)
// and a window that dropped its oldest points and gained new ones as (drop, push).
//
// A delta is a primitive (set to it) or a tagged array, so no data key can be mistaken for an operator:
//   a number, string, boolean or null: set (or add) that value
//   [0, value]            set (or add) an object or array
//   [1]                   delete the member
//   [2, k, [tail...]]     array: drop the first k elements, push tail
//   [3, named, indexed?]  object: named {key: delta}, indexed [position, delta, ...] where position is
//                         the member's place in Object.keys of the object before this delta applies
//   [4, [index, delta, ...]]  array of the same length: element deltas
// `diff` also brings `old` up to date in place (values copied), so the writer's copy always equals what
// a reader rebuilds from disk: the same operations in the same order, hence the same key order.

export type Delta = readonly unknown[] | number | string | boolean | null;

/** Objects with more members than this name them by position in a delta. */
const INDEXED_ABOVE = 16;
const SLICE_MS = 8;
/** Members walked between two looks at the clock. */
const CHECK_EVERY = 512;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A value as JSON would store it: non-finite numbers are null, undefined members absent. */
function normal(v: unknown): Json | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return undefined;
  return v as Json;
}

function copy(v: unknown): Json {
  return JSON.parse(JSON.stringify(v) ?? 'null') as Json;
}

/** A time-sliced walk: big objects yield to the event loop every SLICE_MS, so /healthz never waits. */
class Slicer {
  #started = performance.now();
  #count = 0;
  async breathe(): Promise<void> {
    if (++this.#count % CHECK_EVERY !== 0 || performance.now() - this.#started < SLICE_MS) return;
    await new Promise((resolve) => setImmediate(resolve));
    this.#started = performance.now();
  }
}

/** Levels walked with the slicer (root, detector, engine, rules, a rule, its series map); below,
 *  one binding or entity is diffed at once. */
const SLICED_DEPTH = 6;

/** The delta from `old` to `next` (undefined: equal), with `old` updated to equal `next`. */
export async function diff(old: Obj, next: object): Promise<Delta | undefined> {
  return diffSliced(old, next as Record<string, unknown>, 0, new Slicer());
}

async function diffSliced(old: Obj, next: Record<string, unknown>, depth: number, slicer: Slicer): Promise<Delta | undefined> {
  const members = new MemberDeltas(old);
  const keys = members.keys;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const value = Object.hasOwn(next, key) ? normal(next[key]) : undefined;
    if (depth + 1 < SLICED_DEPTH && isObject(value) && isObject(old[key])) members.note(key, i, await diffSliced(old[key] as Obj, value, depth + 1, slicer));
    else members.member(key, i, value);
    await slicer.breathe();
  }
  members.added(next);
  return members.delta();
}

function diffObject(old: Obj, next: Record<string, unknown>): Delta | undefined {
  const members = new MemberDeltas(old);
  const keys = members.keys;
  for (let i = 0; i < keys.length; i++) members.member(keys[i]!, i, Object.hasOwn(next, keys[i]!) ? normal(next[keys[i]!]) : undefined);
  members.added(next);
  return members.delta();
}

/** The members of one object's delta as they are found, by name or by position. */
class MemberDeltas {
  readonly keys: string[];
  readonly #old: Obj;
  readonly #indexed: boolean;
  readonly #named: Record<string, Delta> = {};
  readonly #byPosition: unknown[] = [];
  #changed = false;

  constructor(old: Obj) {
    this.#old = old;
    this.keys = Object.keys(old);
    this.#indexed = this.keys.length > INDEXED_ABOVE;
  }

  note(key: string, position: number, delta: Delta | undefined): void {
    if (delta === undefined) return;
    this.#changed = true;
    if (this.#indexed) this.#byPosition.push(position, delta);
    else this.#named[key] = delta;
  }

  /** An existing member against its next value (undefined: gone). */
  member(key: string, position: number, value: Json | undefined): void {
    if (value === undefined) {
      delete this.#old[key];
      this.note(key, position, [1]);
    } else {
      this.note(key, position, diffValue(this.#old, key, value));
    }
  }

  /** Members only `next` has, appended in its order (a reader appends them in the same order). */
  added(next: Record<string, unknown>): void {
    for (const key of Object.keys(next)) {
      if (Object.hasOwn(this.#old, key)) continue;
      const value = normal(next[key]);
      if (value === undefined) continue;
      this.#old[key] = copy(value);
      this.#changed = true;
      this.#named[key] = value === null || typeof value !== 'object' ? value : [0, this.#old[key]];
    }
  }

  delta(): Delta | undefined {
    if (!this.#changed) return undefined;
    return this.#byPosition.length > 0 ? [3, this.#named, this.#byPosition] : [3, this.#named];
  }
}

/** The delta of parent[key] to `value`, with parent[key] updated; undefined when equal. */
function diffValue(parent: Obj | Json[], key: string | number, value: Json): Delta | undefined {
  const slot = parent as Record<string | number, Json>;
  const current = slot[key];
  if (current === value) return undefined;
  if (isObject(current) && isObject(value)) return diffObject(current, value);
  if (Array.isArray(current) && Array.isArray(value)) return diffArray(current, value);
  if (typeof value !== 'object' && typeof current !== 'object' && current === value) return undefined;
  slot[key] = copy(value);
  return value === null || typeof value !== 'object' ? value : [0, slot[key]];
}

/** Tries for a sliding window look this far into the old array. */
const WINDOW_SHIFT_MAX = 64;

function diffArray(old: Json[], next: Json[]): Delta | undefined {
  if (old.length === next.length) {
    let differing = 0;
    for (let i = 0; i < next.length; i++) if (!sameJson(old[i]!, next[i])) differing++;
    if (differing === 0) return undefined;
    // A few elements changed in place (a counter's sub-values): element deltas. A window that moved
    // changes every element: the window form below is shorter.
    if (differing <= Math.max(2, next.length / 4)) {
      const changes: unknown[] = [];
      for (let i = 0; i < next.length; i++) {
        const delta = diffValue(old, i, normal(next[i]) ?? null);
        if (delta !== undefined) changes.push(i, delta);
      }
      return [4, changes];
    }
  }
  // A sliding window: drop the oldest k, push the newest, for the first k that makes old's rest a
  // prefix of next.
  for (let k = 0; k <= Math.min(old.length - 1, WINDOW_SHIFT_MAX); k++) {
    const rest = old.length - k;
    if (rest > next.length) continue;
    let prefix = true;
    for (let i = 0; i < rest && prefix; i++) prefix = sameJson(old[k + i]!, next[i]);
    if (!prefix) continue;
    const tail = next.slice(rest).map((v) => copy(normal(v) ?? null));
    old.splice(0, k);
    old.push(...tail);
    return [2, k, tail];
  }
  const copied = copy(next) as Json[];
  old.length = 0;
  old.push(...copied);
  return [0, copy(next)];
}

function sameJson(a: Json, b: unknown): boolean {
  const nb = normal(b) ?? null;
  if (a === nb) return true;
  if (typeof a !== 'object' || typeof nb !== 'object' || a === null || nb === null) return false;
  return JSON.stringify(a) === JSON.stringify(nb);
}

/** Applies a delta written by `diff` to `target` in place; returns the new value (for a top-level set). */
export function applyDelta(target: Json, delta: Delta): Json {
  if (delta === null || !Array.isArray(delta)) return delta as Json;
  switch (delta[0]) {
    case 0:
      return delta[1] as Json;
    case 2: {
      const array = target as Json[];
      array.splice(0, delta[1] as number);
      array.push(...(delta[2] as Json[]));
      return array;
    }
    case 3: {
      const object = target as Obj;
      const keys = Object.keys(object);
      const byPosition = (delta[2] ?? []) as unknown[];
      for (let i = 0; i < byPosition.length; i += 2) applyMember(object, keys[byPosition[i] as number]!, byPosition[i + 1] as Delta);
      for (const [key, member] of Object.entries(delta[1] as Record<string, Delta>)) applyMember(object, key, member);
      return object;
    }
    case 4: {
      const array = target as Json[];
      const changes = delta[1] as unknown[];
      for (let i = 0; i < changes.length; i += 2) array[changes[i] as number] = applyDelta(array[changes[i] as number]!, changes[i + 1] as Delta);
      return array;
    }
    default:
      throw new Error(`unknown delta operation ${JSON.stringify(delta[0])}`);
  }
}

function applyMember(object: Obj, key: string, delta: Delta): void {
  if (key === undefined) throw new Error('a delta names a member position the document does not have');
  if (Array.isArray(delta) && delta[0] === 1) delete object[key];
  else object[key] = applyDelta(object[key] ?? null, delta);
}

/** A deep copy as JSON would make it, walked a slice at a time (the journal's copy after a compaction). */
export async function cloneInSlices(value: object): Promise<Obj> {
  const slicer = new Slicer();
  const walk = async (v: Record<string, unknown>, depth: number): Promise<Obj> => {
    const out: Obj = {};
    for (const key of Object.keys(v)) {
      const member = normal(v[key]);
      if (member === undefined) continue;
      out[key] = depth + 1 < SLICED_DEPTH && isObject(member) ? await walk(member, depth + 1) : copy(member);
      await slicer.breathe();
    }
    return out;
  };
  return walk(value as Record<string, unknown>, 0);
}
