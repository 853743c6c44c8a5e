// Turning a response or an error into (outcome, error_code) without ever copying a message, header
// or body: every label value produced here comes from a fixed list, an HTTP status, a code the user
// declared, or an error class name that passes a strict pattern.
import { OTHER, OUTCOMES, type Classification, type Classify, type ClassifyContext, type Outcome } from './types.js';

export interface Verdict {
  outcome: Outcome;
  /** undefined on success: the `error_code` label is then absent (Prometheus reads it as ""). */
  errorCode: string | undefined;
}

const SUCCESS: Verdict = Object.freeze({ outcome: 'success', errorCode: undefined }) as Verdict;
const OUTCOME_SET: ReadonlySet<string> = new Set(OUTCOMES);
const PARTNER_CODE = /^[a-z][a-z0-9_]{0,39}$/;
const CLASS_NAME = /^[A-Z][A-Za-z0-9]{0,39}$/;

/** Error codes of Node/undici network failures: system-defined, so safe as label values. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN',
  'EPIPE', 'ECONNABORTED', 'EPROTO', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED', 'UND_ERR_CONNECT', 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
]);
const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT', 'ABORT_ERR', '57014', // 57014: PostgreSQL query_canceled (statement_timeout)
]);

const statusVerdicts = new Map<number, Verdict>();

/** 401 → auth_error, other 4xx → client_error, 5xx → server_error, below 400 → success. */
export function verdictForStatus(status: number): Verdict {
  if (status < 400 || status > 599 || !Number.isInteger(status)) return SUCCESS;
  let v = statusVerdicts.get(status);
  if (!v) {
    const outcome: Outcome = status === 401 ? 'auth_error' : status < 500 ? 'client_error' : 'server_error';
    v = Object.freeze({ outcome, errorCode: String(status) });
    statusVerdicts.set(status, v);
  }
  return v;
}

/** A status carried by a response-like result (fetch Response, `{status}` / `{statusCode}` objects). */
export function statusOf(value: unknown): number | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as { status?: unknown; statusCode?: unknown; response?: { status?: unknown } };
  const s = typeof v.status === 'number' ? v.status : typeof v.statusCode === 'number' ? v.statusCode : undefined;
  if (s !== undefined) return s >= 100 && s <= 599 ? s : undefined;
  const r = v.response;
  if (r && typeof r === 'object' && typeof r.status === 'number' && r.status >= 100 && r.status <= 599) return r.status;
  return undefined;
}

export function verdictForResult(result: unknown): Verdict {
  const status = statusOf(result);
  return status === undefined ? SUCCESS : verdictForStatus(status);
}

/** Timeouts and aborts → timeout; an HTTP status on the error → by status; a known network code →
 * network_error with that code; anything else threw before a usable response: network_error with the
 * error's class name (never its message). */
export function verdictForError(error: unknown): Verdict {
  if (error === null || typeof error !== 'object') return { outcome: 'network_error', errorCode: OTHER };
  const e = error as { name?: unknown; code?: unknown; cause?: { code?: unknown; name?: unknown } };
  const name = typeof e.name === 'string' ? e.name : '';
  const code = typeof e.code === 'string' ? e.code : typeof e.cause?.code === 'string' ? e.cause.code : '';
  const causeName = typeof e.cause?.name === 'string' ? e.cause.name : '';
  if (name === 'AbortError' || name === 'TimeoutError' || causeName === 'TimeoutError' || TIMEOUT_CODES.has(code)) {
    return { outcome: 'timeout', errorCode: 'timeout' };
  }
  const status = statusOf(error);
  if (status !== undefined && status >= 400) return verdictForStatus(status);
  if (NETWORK_CODES.has(code)) return { outcome: 'network_error', errorCode: code };
  return { outcome: 'network_error', errorCode: errorClassName(error) };
}

/** The error's class name if it looks like one (bounded by code, not data), else `other`. */
export function errorClassName(error: unknown): string {
  const ctor = (error as { constructor?: { name?: unknown } } | null)?.constructor;
  const name = typeof ctor?.name === 'string' ? ctor.name : '';
  return CLASS_NAME.test(name) ? name : OTHER;
}

/** Runs the user's classify hook and keeps only answers from the bounded set. */
export function applyClassify(
  classify: Classify,
  allowed: ReadonlySet<string>,
  value: unknown,
  context: ClassifyContext,
  fallback: Verdict,
): Verdict {
  let answer: Classification | undefined | void;
  try {
    answer = classify(value, context);
  } catch {
    return fallback; // a broken hook must never break the partner call
  }
  if (!answer || typeof answer !== 'object') return fallback;
  const outcome = typeof answer.outcome === 'string' && OUTCOME_SET.has(answer.outcome) ? answer.outcome : fallback.outcome;
  if (outcome === 'success') return SUCCESS;
  let errorCode = fallback.errorCode ?? OTHER;
  if (answer.errorCode !== undefined) errorCode = boundedCode(answer.errorCode, allowed);
  return { outcome, errorCode };
}

/** A classify answer is kept if declared (or a 3-digit HTTP status) and strictly shaped; else `other`. */
export function boundedCode(code: unknown, allowed: ReadonlySet<string>): string {
  if (typeof code === 'number') code = String(code);
  if (typeof code !== 'string') return OTHER;
  if (/^[1-5][0-9][0-9]$/.test(code)) return code;
  return allowed.has(code) && PARTNER_CODE.test(code) ? code : OTHER;
}

export function declaredCodes(codes: readonly string[] | undefined): ReadonlySet<string> {
  const set = new Set<string>();
  for (const c of codes ?? []) {
    if (!PARTNER_CODE.test(c)) {
      throw new TypeError(`errorCodes: "${c}" is not a valid error code; use lowercase letters, digits and _ (e.g. "token_expired")`);
    }
    set.add(c);
  }
  return set;
}
