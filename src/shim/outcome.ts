// Turning a response or an error into (outcome, error_code) without ever copying a message, header
// or body: every label value produced here comes from a fixed list, an HTTP status, a code the user
// declared, or an error class name that passes a strict pattern.
import { errorClassName, isTimeout, networkCode, statusOf } from './error-shape.js';
import { OTHER, OUTCOMES, type Classification, type Classify, type ClassifyContext, type Outcome } from './types.js';

export { errorClassName, statusOf } from './error-shape.js';

export interface Verdict {
  outcome: Outcome;
  /** undefined on success: the `error_code` label is then absent (Prometheus reads it as ""). */
  errorCode: string | undefined;
}

const SUCCESS: Verdict = Object.freeze({ outcome: 'success', errorCode: undefined }) as Verdict;
const OUTCOME_SET: ReadonlySet<string> = new Set(OUTCOMES);
const TIMEOUT: Verdict = Object.freeze({ outcome: 'timeout', errorCode: 'timeout' }) as Verdict;
const PARTNER_CODE = /^[a-z][a-z0-9_]{0,39}$/;
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

export function verdictForResult(result: unknown): Verdict {
  const status = statusOf(result);
  return status === undefined ? SUCCESS : verdictForStatus(status);
}

/** Timeouts and aborts → timeout; an HTTP status on the error → by status; a known network code
 * (here or down the cause chain) → network_error with that code; anything else threw before a usable
 * response: network_error with the error's class name (never its message). */
export function verdictForError(error: unknown): Verdict {
  if (error === null || typeof error !== 'object') return { outcome: 'network_error', errorCode: OTHER };
  if (isTimeout(error)) return TIMEOUT;
  const status = statusOf(error);
  if (status !== undefined && status >= 400) return verdictForStatus(status);
  const code = networkCode(error);
  return { outcome: 'network_error', errorCode: code ?? errorClassName(error) };
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
