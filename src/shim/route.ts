// From a request URL to the `operation` label: `METHOD /templated/route`. User routes first; without
// routes, every path segment not built from known API words becomes `{id}` (see vocabulary.ts for
// why names force a vocabulary). Query strings and fragments never get this far.
//
// Both modes walk a trie of path segments: each node knows its template (`/patients/{id}`), so the
// hot path looks up a few short words and builds no strings; the node also remembers the series
// it resolved to, per method, so a repeated operation costs one Map hit.
import { isKnownWord } from './vocabulary.js';

const METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const VERSION_TOKEN = /^(?:v\d{1,2}(?:\.\d{1,2})?|r[2-5]b?|d?stu[23]|oauth2|hl7|x12)$/i;
const WORDY = /^\.?[A-Za-z][A-Za-z._-]*$/;
const FHIR_OPERATION = /^\$[a-z][a-z-]{1,30}$/i;
const WORD_CACHE_SIZE = 2000;
// Automatic templating adds a node per distinct template; past this many, templates are computed
// without being remembered (the partner's operation cap turns them into `other` long before).
const MAX_NODES = 5000;

/** A position in the path trie. `T` is what callers cache per method (the operation's series). */
export class RouteNode<T = unknown> {
  literals: Map<string, RouteNode<T>> | undefined;
  param: RouteNode<T> | undefined; // `{id}` in automatic mode, `:name` in declared routes
  rest: RouteNode<T> | undefined; // declared `*`: matches whatever follows
  /** Declared routes only: the template a route ending here reports, and its method (undefined = any). */
  terminal: { template: string; method: string | undefined }[] | undefined;
  /** What the caller cached for GET (most calls), then for the other methods. */
  get: T | undefined;
  cache: Map<string, T> | undefined;
  constructor(readonly template: string) {}
}

export function normalizeMethod(method: string | undefined): string {
  if (!method) return 'GET';
  if (METHODS.has(method)) return method;
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

export class RouteTemplater<T = unknown> {
  private readonly declared: RouteNode<T> | undefined;
  private readonly auto = new RouteNode<T>('');
  private nodes = 1;
  private readonly extra: ReadonlySet<string>;
  // Word-like segment → kept literal or not. Only word-like segments are cached (ids are rejected
  // by a character test before any lookup), and the map is bounded: names would otherwise grow it.
  private readonly wordCache = new Map<string, boolean>();

  constructor(routes?: readonly string[], staticSegments?: readonly string[]) {
    this.extra = new Set((staticSegments ?? []).map((s) => s.toLowerCase()));
    if (routes) {
      this.declared = new RouteNode<T>('');
      for (const r of routes) addRoute(this.declared, r);
    }
  }

  /** The node a request resolves to (its `cache` holds the caller's series per method); undefined
   * when routes are declared and none matches. No allocation on the hot path. */
  resolve(method: string, path: string): RouteNode<T> | undefined {
    return this.declared ? matchDeclared(this.declared, method, path, 1, path.length) : this.walkAuto(path, 1, path.length);
  }

  /** `resolve(method, pathOf(url))`, reading the path in place in the URL (no slice of it): an
   *  absolute URL, a path, or a client's path relative to its base URL (ky's `patients/1`). */
  resolveUrl(method: string, url: string): RouteNode<T> | undefined {
    const scheme = url.indexOf('://');
    if (scheme < 0 && url.charCodeAt(0) !== 47) url = '/' + url;
    // Found with indexOf (memchr), not a loop over every character: the same bounds as pathOf.
    const from = scheme < 0 ? 0 : scheme + 3;
    const query = url.indexOf('?', from);
    const fragment = url.indexOf('#', from);
    let end = query < 0 ? fragment : fragment < 0 ? query : Math.min(query, fragment);
    if (end < 0) end = url.length;
    let start = scheme < 0 ? 0 : url.indexOf('/', from);
    if (start < 0 || start >= end || url.charCodeAt(start) !== 47) start = end = 0; // no path: `/`
    return this.declared ? matchDeclared(this.declared, method, url, start + 1, end) : this.walkAuto(url, start + 1, end);
  }

  /** The template a resolved node reports for this method (only needed on a cache miss). */
  templateOf(node: RouteNode<T>, method: string): string {
    const t = node.terminal?.find((x) => x.method === undefined || x.method === method)?.template ?? node.template;
    return t === '' ? '/' : t;
  }

  /** `GET /patients/{id}`, or `other` when routes are declared and none matches. */
  operation(method: string, path: string): string {
    const node = this.resolve(method, path);
    return node ? method + ' ' + this.templateOf(node, method) : 'other';
  }

  /** Automatic templating: literal only for segments made of known words. */
  template(path: string): string {
    const t = this.walkAuto(path, 1, path.length).template;
    return t === '' ? '/' : t;
  }

  /** Walks the path held in text[start - 1, pathEnd) (text[start - 1] is its leading `/`). */
  private walkAuto(path: string, start: number, pathEnd: number): RouteNode<T> {
    let node = this.auto;
    while (start <= pathEnd) {
      let end = path.indexOf('/', start);
      if (end < 0 || end > pathEnd) end = pathEnd;
      if (end > start) {
        const first = path.charCodeAt(start);
        // The common id case (starts with a digit) is settled without slicing the segment.
        const segment = first >= 48 && first <= 57 && this.extra.size === 0 ? undefined : path.slice(start, end);
        // A segment already in the trie is a known static word (only those are added): one lookup.
        let next = segment === undefined ? undefined : node.literals?.get(segment);
        if (!next) {
          if (segment !== undefined && this.isStatic(segment)) next = this.grow(node, segment);
          else next = node.param ?? this.grow(node, undefined);
        }
        node = next;
      }
      start = end + 1;
    }
    return node;
  }

  private grow(parent: RouteNode<T>, literal: string | undefined): RouteNode<T> {
    const child = new RouteNode<T>(parent.template + '/' + (literal ?? '{id}'));
    if (this.nodes >= MAX_NODES) return child; // computed, not remembered
    this.nodes++;
    if (literal === undefined) parent.param = child;
    else (parent.literals ??= new Map()).set(literal, child);
    return child;
  }

  isStatic(segment: string): boolean {
    if (segment.length > 64) return false;
    const first = segment.charCodeAt(0);
    // The common id case (starts with a digit) is settled without a lookup or an allocation.
    if (first >= 48 && first <= 57) return this.extra.size > 0 && this.extra.has(segment.toLowerCase());
    const cached = this.wordCache.get(segment);
    if (cached !== undefined) return cached;
    let verdict: boolean;
    if ((this.extra.size > 0 && this.extra.has(segment.toLowerCase())) || VERSION_TOKEN.test(segment)) verdict = true;
    else if (first === 36 /* $ */) verdict = FHIR_OPERATION.test(segment) && this.allKnown(segment.slice(1));
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

/** Declared routes: literal segments win over `:params`, which win over `*`; backtracks on a miss. */
function matchDeclared<T>(node: RouteNode<T>, method: string, path: string, start: number, pathEnd: number): RouteNode<T> | undefined {
  while (start < pathEnd && path.charCodeAt(start) === 47) start++; // tolerate `//`
  if (start >= pathEnd) {
    if (acceptsMethod(node, method)) return node;
    // a trailing `*` also matches nothing more
    return node.rest && acceptsMethod(node.rest, method) ? node.rest : undefined;
  }
  let end = path.indexOf('/', start);
  if (end < 0 || end > pathEnd) end = pathEnd;
  if (node.literals) {
    const lit = node.literals.get(path.slice(start, end));
    if (lit) {
      const found = matchDeclared(lit, method, path, end + 1, pathEnd);
      if (found) return found;
    }
  }
  if (node.param) {
    const found = matchDeclared(node.param, method, path, end + 1, pathEnd);
    if (found) return found;
  }
  return node.rest && acceptsMethod(node.rest, method) ? node.rest : undefined;
}

function acceptsMethod<T>(node: RouteNode<T>, method: string): boolean {
  const terminal = node.terminal;
  if (terminal === undefined) return false;
  for (let i = 0; i < terminal.length; i++) if (terminal[i]!.method === undefined || terminal[i]!.method === method) return true;
  return false;
}

function addRoute<T>(root: RouteNode<T>, pattern: string): void {
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
  const parts = path.split('/').filter(Boolean);
  let node = root;
  let template = '';
  parts.forEach((part, i) => {
    if (part === '*') {
      if (i !== parts.length - 1) throw new TypeError(`route "${pattern}": "*" may only end a route`);
      template += '/{rest}';
      node = node.rest ??= new RouteNode<T>(template);
    } else if (part.startsWith(':')) {
      template += `/{${part.slice(1) || 'param'}}`;
      node = node.param ??= new RouteNode<T>(template);
    } else {
      template += '/' + part;
      const literals = (node.literals ??= new Map());
      let next = literals.get(part);
      if (!next) literals.set(part, (next = new RouteNode<T>(template)));
      node = next;
    }
  });
  (node.terminal ??= []).push({ template: template || '/', method });
}
