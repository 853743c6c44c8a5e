// From a request URL to the `operation` label: `METHOD /templated/route`. User routes first; without
// routes, every path segment not built from known API words becomes `{id}` (see vocabulary.ts for
// why names force a vocabulary). Query strings and fragments never get this far.
import { isKnownWord } from './vocabulary.js';
import { OTHER } from './types.js';

const METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const VERSION_TOKEN = /^(?:v\d{1,2}(?:\.\d{1,2})?|r[2-5]b?|d?stu[23]|oauth2|hl7|x12)$/i;
const WORDY = /^\.?[A-Za-z][A-Za-z._-]*$/;
const FHIR_OPERATION = /^\$[a-z][a-z-]{1,30}$/i;
const WORD_CACHE_SIZE = 2000;

interface CompiledRoute {
  method: string | undefined;
  segments: (string | null)[]; // null = a parameter
  rest: boolean; // ends in `*`: matches any deeper path
  template: string;
}

export function normalizeMethod(method: string | undefined): string {
  if (!method) return 'GET';
  const m = method.toUpperCase();
  return METHODS.has(m) ? m : 'OTHER';
}

/** The path of an absolute or relative URL, without query string or fragment. */
export function pathOf(url: string): string {
  let start = 0;
  const scheme = url.indexOf('://');
  if (scheme >= 0) {
    start = url.length;
    for (let i = scheme + 3; i < url.length; i++) {
      const c = url.charCodeAt(i);
      if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */) { start = i; break; }
    }
  }
  let end = url.length;
  for (let i = start; i < end; i++) {
    const c = url.charCodeAt(i);
    if (c === 63 || c === 35) { end = i; break; }
  }
  return start < end && url.charCodeAt(start) === 47 ? url.slice(start, end) : '/';
}

export class RouteTemplater {
  private readonly routes: CompiledRoute[] | undefined;
  private readonly extra: ReadonlySet<string>;
  // Word-like segment → kept literal or not. Only word-like segments are cached (ids are rejected
  // by a character test before any lookup), and the map is bounded: names would otherwise grow it.
  private readonly wordCache = new Map<string, boolean>();

  constructor(routes?: readonly string[], staticSegments?: readonly string[]) {
    this.routes = routes ? routes.map(compileRoute) : undefined;
    this.extra = new Set((staticSegments ?? []).map((s) => s.toLowerCase()));
  }

  /** `GET /patients/{id}`, or `other` when routes are declared and none matches. */
  operation(method: string, path: string): string {
    return this.routes ? this.matchRoutes(method, path) : method + ' ' + this.template(path);
  }

  private matchRoutes(method: string, path: string): string {
    const segs = splitPath(path);
    for (const r of this.routes!) {
      if (r.method !== undefined && r.method !== method) continue;
      if (r.rest ? segs.length < r.segments.length : segs.length !== r.segments.length) continue;
      let ok = true;
      for (let i = 0; i < r.segments.length; i++) {
        const want = r.segments[i];
        if (want !== null && want !== segs[i]) { ok = false; break; }
      }
      if (ok) return method + ' ' + r.template;
    }
    return OTHER;
  }

  /** Automatic templating: literal only for segments made of known words. */
  template(path: string): string {
    let out = '';
    let start = 1;
    while (start <= path.length) {
      let end = path.indexOf('/', start);
      if (end < 0) end = path.length;
      if (end > start) {
        const segment = path.slice(start, end);
        out += this.isStatic(segment) ? '/' + segment : '/{id}';
      }
      start = end + 1;
    }
    return out === '' ? '/' : out;
  }

  isStatic(segment: string): boolean {
    if (segment.length > 64) return false;
    const cached = this.wordCache.get(segment);
    if (cached !== undefined) return cached;
    let verdict: boolean;
    if (this.extra.has(segment.toLowerCase()) || VERSION_TOKEN.test(segment)) verdict = true;
    else if (segment.charCodeAt(0) === 36 /* $ */) verdict = FHIR_OPERATION.test(segment) && this.allKnown(segment.slice(1));
    else if (!WORDY.test(segment)) return false; // digits, %, @, ... : data, and not worth caching
    else verdict = this.allKnown(segment);
    if (this.wordCache.size >= WORD_CACHE_SIZE) this.wordCache.clear();
    this.wordCache.set(segment, verdict);
    return verdict;
  }

  /** Every word of `lab-results`, `lab_results`, `labResults`, `.well-known` is a known word. */
  private allKnown(segment: string): boolean {
    let word = '';
    for (let i = 0; i < segment.length; i++) {
      const c = segment[i];
      const upper = c >= 'A' && c <= 'Z';
      const boundary = c === '-' || c === '_' || c === '.';
      // camelCase boundary: a capital after a lowercase letter starts a new word
      if (boundary || (upper && i > 0 && segment[i - 1] >= 'a' && segment[i - 1] <= 'z')) {
        if (word && !isKnownWord(word, this.extra)) return false;
        word = boundary ? '' : c.toLowerCase();
      } else {
        word += upper ? c.toLowerCase() : c;
      }
    }
    return word === '' ? true : isKnownWord(word, this.extra);
  }
}

function splitPath(path: string): string[] {
  const out: string[] = [];
  for (const s of path.split('/')) if (s) out.push(s);
  return out;
}

function compileRoute(pattern: string): CompiledRoute {
  let method: string | undefined;
  let path = pattern.trim();
  const space = path.indexOf(' ');
  if (space > 0) {
    method = normalizeMethod(path.slice(0, space));
    path = path.slice(space + 1).trim();
  }
  if (!path.startsWith('/')) {
    throw new TypeError(`route "${pattern}" must start with "/" (e.g. "/patients/:id" or "GET /patients/:id")`);
  }
  const parts = splitPath(path);
  const rest = parts.at(-1) === '*';
  if (rest) parts.pop();
  const segments = parts.map((p) => (p.startsWith(':') ? null : p));
  const template = '/' + parts.map((p) => (p.startsWith(':') ? `{${p.slice(1) || 'param'}}` : p)).join('/') + (rest ? '/{rest}' : '');
  return { method, segments, rest, template: template === '/' + '' ? '/' : template.replace(/^\/\/+/, '/') };
}
