// One HTTP exchange with Prometheus' API on node:http/https, so the TLS options of Prometheus'
// `tls_config` (CA, client certificate, skip-verify) map one to one onto the request, and a slow answer
// ends at a deadline. Errors say which query failed and what to do about it.
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { PrometheusHttpConfig } from './types.js';

const DEFAULT_TIMEOUT_MS = 60_000;

/** A failed request: `message` names the query and the fix; `retryable` says whether trying again may help. */
export class PrometheusError extends Error {
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean) {
    super(message);
    this.retryable = retryable;
  }
}

export interface PrometheusApi {
  /** POSTs a form to `path` (e.g. `/api/v1/query_range`) and returns the `data` of a success answer. */
  post(path: string, form: Record<string, string>, what: string): Promise<{ data: unknown; warnings: readonly string[] }>;
}

export function prometheusApi(config: PrometheusHttpConfig): PrometheusApi {
  const base = new URL(config.url.endsWith('/') ? config.url : config.url + '/');
  const tls = tlsOptions(config);
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    async post(path, form, what) {
      const url = new URL(path.replace(/^\//, ''), base);
      const body = new URLSearchParams(form).toString();
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)), accept: 'application/json' };
      if (config.bearerToken) headers.authorization = `Bearer ${config.bearerToken}`;
      const { status, text } = await exchange(url, { method: 'POST', headers, ...(url.protocol === 'https:' ? tls : {}) }, body, timeoutMs, what);
      let parsed: { status?: string; data?: unknown; error?: string; errorType?: string; warnings?: string[] } | undefined;
      try {
        parsed = JSON.parse(text) as typeof parsed;
      } catch {
        parsed = undefined;
      }
      if (status === 401 || status === 403) {
        throw new PrometheusError(`${what}: Prometheus at ${config.url} answered ${status}${parsed?.error ? ` (${parsed.error})` : ''}; fix: pass a valid token with --bearer-token-file FILE or SENTINEL_PROMETHEUS_TOKEN`, false);
      }
      if (status >= 400 && status < 500) {
        throw new PrometheusError(`${what}: Prometheus answered ${status} ${parsed?.errorType ?? ''}: ${parsed?.error ?? text.slice(0, 200)}; fix: check the rule's selector and --from/--to/--step`, false);
      }
      if (status >= 500 || parsed?.status !== 'success') {
        const why = parsed?.error ?? (parsed ? 'no success status' : `not JSON: ${text.slice(0, 120)}`);
        throw new PrometheusError(`${what}: Prometheus answered ${status}: ${why}; fix: check Prometheus' log, or lower the load with --step or a shorter --from/--to`, true);
      }
      return { data: parsed.data, warnings: parsed.warnings ?? [] };
    },
  };
}

function tlsOptions(config: PrometheusHttpConfig): RequestOptions {
  const t = config.tls ?? {};
  const read = (file: string | undefined, what: string): Buffer | undefined => {
    if (file === undefined) return undefined;
    try {
      return readFileSync(file);
    } catch (error) {
      throw new PrometheusError(`cannot read the ${what} ${file}: ${(error as Error).message}`, false);
    }
  };
  const ca = read(t.ca_file, 'CA file (--ca-file)');
  const cert = read(t.cert_file, 'client certificate (--cert-file)');
  const key = read(t.key_file, 'client key (--key-file)');
  return { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}), rejectUnauthorized: t.insecure_skip_verify !== true };
}

function exchange(url: URL, options: RequestOptions, body: string, timeoutMs: number, what: string): Promise<{ status: number; text: string }> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, options, (res: IncomingMessage) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8') }));
      res.on('error', (e) => reject(new PrometheusError(`${what}: answer cut off: ${e.message}`, true)));
    });
    let timedOut = false;
    req.setTimeout(timeoutMs, () => {
      timedOut = true;
      req.destroy();
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (timedOut) {
        reject(new PrometheusError(`${what}: Prometheus at ${url.origin} did not answer within ${timeoutMs / 1000} s; fix: give it longer with --query-timeout, or shorten --from/--to`, true));
        return;
      }
      const fix = e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND'
        ? `is Prometheus running and is --prometheus ${url.origin} right?`
        : /certificate|self.signed|SSL|TLS/i.test(e.message)
          ? 'pass the server\'s CA with --ca-file, or --insecure-skip-verify'
          : 'check the network between here and Prometheus';
      reject(new PrometheusError(`${what}: cannot reach Prometheus at ${url.origin}: ${e.code ?? ''} ${e.message}`.replace(/  +/g, ' ') + `; fix: ${fix}`, true));
    });
    req.end(body);
  });
}
