// The `METHOD /templated/route` operation of an HTTP call, however it was made: fetch's
// (input, init), or a client library's (url | path | { url, method }, options) for axios, got, ky and
// undici. Only the method and the path are read; the query string and fragment are dropped.
import type { OperationSeries, PartnerSeries } from './partner.js';
import { normalizeMethod, type RouteTemplater } from './route.js';
import { OTHER } from './types.js';

/** The series of (method, url) on this partner; a repeated operation is one trie walk and one Map hit. */
export function httpSeries(partner: PartnerSeries, templater: RouteTemplater<OperationSeries>, method: string | undefined, url: string): OperationSeries {
  const m = normalizeMethod(method);
  const node = templater.resolveUrl(m, url);
  if (!node) return partner.operation(OTHER);
  const cached = m === 'GET' ? node.get : node.cache?.get(m);
  if (cached) return cached;
  const series = partner.operation(m + ' ' + templater.templateOf(node, m));
  // Only remembered when not overflowed: each call past the cap must count as overflow.
  if (series.operation !== OTHER) {
    if (m === 'GET') node.get = series;
    else (node.cache ??= new Map()).set(m, series);
  }
  return series;
}

const VERBS: ReadonlySet<string> = new Set(['get', 'head', 'post', 'put', 'patch', 'delete', 'options']);
/** Methods whose arguments are (url-or-options, options) with the HTTP method inside. */
const GENERIC: ReadonlySet<string> = new Set(['request', 'stream', 'fetch']);

const urlOf = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v;
  if (v instanceof URL) return v.pathname;
  if (v !== null && typeof v === 'object') {
    const o = v as { url?: unknown; path?: unknown };
    if (typeof o.url === 'string') return o.url;
    if (o.url instanceof URL) return o.url.pathname;
    if (typeof o.path === 'string') return o.path;
  }
  return undefined;
};
const methodIn = (v: unknown): string | undefined =>
  v !== null && typeof v === 'object' && typeof (v as { method?: unknown }).method === 'string' ? (v as { method: string }).method : undefined;

/** (method, url) of an HTTP client call, or undefined when the call does not look like one.
 * `name` is the client method called (`get`, `request`), or undefined for a callable client. */
export function httpCallOf(name: string | undefined, args: readonly unknown[]): { method: string | undefined; url: string } | undefined {
  const lower = name?.toLowerCase();
  const verb = lower !== undefined && VERBS.has(lower);
  if (lower !== undefined && !verb && !GENERIC.has(lower)) return undefined;
  const url = urlOf(args[0]);
  if (url === undefined) return undefined;
  if (verb) return { method: lower, url };
  return { method: methodIn(args[0]) ?? methodIn(args[1]), url };
}
