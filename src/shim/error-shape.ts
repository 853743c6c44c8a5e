// What the client libraries services use put on their errors, read without copying a message:
// the HTTP status (fetch `status`, undici `statusCode`, axios `response.status`, got
// `response.statusCode`), timeouts and aborts by name and code, and the network code, which fetch
// and ky keep one or two `cause`s down. Written once; fetch, clients, queries and queues use it.

/** Error names that mean the call gave up waiting: fetch/ky (`AbortError`, `TimeoutError`), axios
 * (`CanceledError`), got (`CancelError`, `TimeoutError`), undici's own timeout classes. */
const TIMEOUT_NAMES: ReadonlySet<string> = new Set([
  'AbortError', 'TimeoutError', 'CanceledError', 'CancelError',
  'HeadersTimeoutError', 'BodyTimeoutError', 'ConnectTimeoutError',
]);

/** Codes that mean a timeout or an abort: Node/got (`ETIMEDOUT`), axios (`ECONNABORTED` is its
 * timeout, `ERR_CANCELED` its abort), undici, Node's AbortError, PostgreSQL's query_canceled (57014,
 * what statement_timeout raises). */
const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNABORTED', 'ERR_CANCELED', 'ABORT_ERR',
  'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', '57014',
]);

/** Driver-side timeouts that carry neither a code nor a class of their own, only a fixed text:
 * compared whole, never copied. pg: `query_timeout`, a pool's `connectionTimeoutMillis`, a
 * client's connect timeout. */
const TIMEOUT_MESSAGES: ReadonlySet<string> = new Set([
  'Query read timeout',
  'timeout exceeded when trying to connect',
  'timeout expired',
  'Connection terminated due to connection timeout',
]);

/** Error codes of Node/undici connection failures: system-defined, so safe as label values. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN',
  'EPIPE', 'EPROTO', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED', 'UND_ERR_CONNECT', 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
]);

/** An SQLSTATE: two characters of class, three of subclass (42P01, 23505, 57014). */
const SQLSTATE = /^[0-9A-Z]{2}[0-9A-Z]{3}$/;
const CLASS_NAME = /^[A-Z][A-Za-z0-9]{0,39}$/;
const MAX_CAUSES = 5;

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  sqlState?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && (typeof v === 'object' || typeof v === 'function');

function validStatus(s: unknown): number | undefined {
  return typeof s === 'number' && Number.isInteger(s) && s >= 100 && s <= 599 ? s : undefined;
}

/** The HTTP status carried by a result or an error: on itself, or on its `response`. */
export function statusOf(value: unknown): number | undefined {
  if (!isObject(value)) return undefined;
  const own = validStatus(value.status) ?? validStatus(value.statusCode);
  if (own !== undefined) return own;
  const r = value.response;
  return isObject(r) ? (validStatus(r.status) ?? validStatus(r.statusCode)) : undefined;
}

/** The error and its causes, nearest first (bounded: a cause chain can be a cycle). */
function* chain(error: unknown): Generator<ErrorLike> {
  let e: unknown = error;
  for (let i = 0; i < MAX_CAUSES && isObject(e); i++) {
    yield e as ErrorLike;
    e = (e as ErrorLike).cause;
  }
}

/** True when the error, or one of its causes, says the call timed out or was aborted. */
export function isTimeout(error: unknown): boolean {
  for (const e of chain(error)) {
    if (typeof e.name === 'string' && TIMEOUT_NAMES.has(e.name)) return true;
    if (typeof e.code === 'string' && TIMEOUT_CODES.has(e.code)) return true;
    if (typeof e.message === 'string' && e.name === 'Error' && TIMEOUT_MESSAGES.has(e.message)) return true;
  }
  return false;
}

/** The first known connection-failure code down the cause chain, if any. */
export function networkCode(error: unknown): string | undefined {
  for (const e of chain(error)) if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
  return undefined;
}

/** A database error's SQLSTATE (pg `code`, mysql2 `sqlState`), if it has one. */
export function sqlState(error: unknown): string | undefined {
  if (!isObject(error)) return undefined;
  const e = error as ErrorLike;
  if (typeof e.sqlState === 'string' && SQLSTATE.test(e.sqlState)) return e.sqlState;
  if (typeof e.code === 'string' && SQLSTATE.test(e.code) && !NETWORK_CODES.has(e.code) && !TIMEOUT_CODES.has(e.code)) return e.code;
  return undefined;
}

/** The error's class name if it looks like one (bounded by code, not data), else `other`. */
export function errorClassName(error: unknown): string {
  const ctor = (error as { constructor?: { name?: unknown } } | null)?.constructor;
  const name = typeof ctor?.name === 'string' ? ctor.name : '';
  return CLASS_NAME.test(name) ? name : 'other';
}
