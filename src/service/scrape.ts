// Scraping one target: fetch its exposition with a timeout, parse it, and say plainly what went wrong
// when it did. One target's failure is that target's alone: the pool (scrape-pool.ts) keeps the others going.
import type { Sample } from '../model/index.js';
import type { TargetConfig } from './config.js';
import { TargetMemory, type LimitFailure, type Rejected } from './scrape-admission.js';
import type { MalformedLine, ParseExposition } from './types.js';

/** Why a scrape failed, as the `reason` label of sentinel_scrape_failures_total. A bounded set. */
export type ScrapeFailureReason = 'timeout' | 'network' | 'http_status' | 'garbage' | 'too_large' | LimitFailure;

export type ScrapeOutcome =
  | {
      readonly ok: true;
      readonly samples: readonly Sample[];
      readonly malformedLines: number;
      readonly durationMs: number;
      /** Samples turned away by reason (scrape-admission.ts); absent when none was. */
      readonly rejected?: Rejected;
    }
  | {
      readonly ok: false;
      readonly reason: ScrapeFailureReason;
      readonly detail: string;
      readonly malformedLines: number;
      readonly durationMs: number;
      readonly rejected?: Rejected;
    };

const PARSE_SLICE_CHARS = 1 << 18;

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n + 1;
}

/** An exporter page is kilobytes to a few megabytes; anything far larger is not one. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface ScrapeDeps {
  readonly parse: ParseExposition;
  readonly fetch?: typeof fetch;
  readonly now: () => number;
  /** Service time to real time for timers (an accelerated clock); identity by default. */
  readonly realDelay?: (ms: number) => number;
}

/** `memory`: what this target's earlier scrapes left (series known, last scrape's series); fresh if absent. */
export async function scrapeTarget(target: TargetConfig, deps: ScrapeDeps, stop?: AbortSignal, memory = new TargetMemory()): Promise<ScrapeOutcome> {
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  const signals = [AbortSignal.timeout(target.timeoutMs)];
  if (stop) signals.push(stop);
  const signal = AbortSignal.any(signals);
  let text: string;
  try {
    const response = await (deps.fetch ?? fetch)(target.url, {
      signal,
      headers: { accept: 'application/openmetrics-text;version=1.0.0;q=0.9, text/plain;version=0.0.4;q=0.5, */*;q=0.1' },
    });
    if (!response.ok) {
      await response.body?.cancel();
      return { ok: false, reason: 'http_status', detail: `HTTP ${response.status}`, malformedLines: 0, durationMs: elapsed() };
    }
    const body = await readBounded(response, MAX_BODY_BYTES);
    if (body === undefined) {
      return { ok: false, reason: 'too_large', detail: `body over ${MAX_BODY_BYTES} bytes`, malformedLines: 0, durationMs: elapsed() };
    }
    text = body;
  } catch (error) {
    const timedOut = signal.aborted && signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError';
    if (timedOut) return { ok: false, reason: 'timeout', detail: `no answer within ${target.timeoutMs} ms`, malformedLines: 0, durationMs: elapsed() };
    return { ok: false, reason: 'network', detail: describeNetworkError(error), malformedLines: 0, durationMs: elapsed() };
  }

  let malformedLines = 0;
  let firstProblem: string | undefined;
  const nowMs = deps.now();
  const onMalformed = (problem: MalformedLine): void => {
    malformedLines += 1;
    // The parser's message already names the target and line (`target:line: reason`).
    firstProblem ??= problem.message ?? `line ${problem.line ?? '?'}`;
  };
  // A 100 k-series page is ~10 MB: parsed in slices with a turn of the event loop between them, so the
  // API and the Slack button never wait for a whole page to parse.
  const parsed: Sample[] = [];
  let firstLine = 0;
  for (let start = 0; start < text.length; ) {
    let end = start + PARSE_SLICE_CHARS >= text.length ? text.length : text.indexOf('\n', start + PARSE_SLICE_CHARS);
    if (end === -1) end = text.length;
    const slice = text.slice(start, end);
    for (const sample of deps.parse(slice, { target: target.name, nowMs, interner: memory.interner, firstLine, onMalformed })) parsed.push(sample);
    if (end === text.length) break;
    firstLine += countLines(slice);
    start = end + 1;
    await new Promise((resolve) => setImmediate(resolve));
  }
  // A page where nothing parses (an HTML error page, a JSON body) is not an empty exposition.
  if (parsed.length === 0 && malformedLines > 0) {
    return { ok: false, reason: 'garbage', detail: `no sample parsed; ${malformedLines} malformed lines, first: ${firstProblem}`, malformedLines, durationMs: elapsed() };
  }
  const admitted = await memory.admit(parsed, target, nowMs);
  const rejected = Object.values(admitted.rejected).some((n) => n > 0) ? admitted.rejected : undefined;
  if (!admitted.ok) return { ok: false, reason: admitted.reason, detail: admitted.detail, malformedLines, durationMs: elapsed(), rejected };
  return { ok: true, samples: admitted.samples, malformedLines, durationMs: elapsed(), rejected };
}

async function readBounded(response: Response, limit: number): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > limit) {
      await response.body.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `fetch failed` says nothing; its cause (ECONNREFUSED, ENOTFOUND, socket hang up) does. */
function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
