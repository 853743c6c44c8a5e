// A real Prometheus holding history: `promtool tsdb create-blocks-from openmetrics` turns a recording
// into blocks, and Debian's `prometheus` serves them on loopback from that temp TSDB (no scraping).
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findBinary, freePort, startServing, type ServingProcess } from '../../e2e/support/processes.ts';

export const prometheusBinary = findBinary('prometheus', '/usr/bin/prometheus');
export const promtoolBinary = findBinary('promtool', '/usr/bin/promtool');

/** Fills a fresh TSDB from the recordings (each must end with `# EOF`; their blocks may overlap) and serves it. */
export async function prometheusWithHistory(recordings: readonly string[], spanHours: number): Promise<ServingProcess & { importMs: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'sentinel-prom-history-'));
  const tsdb = join(dir, 'data');
  const started = Date.now();
  // One block for the whole span: with 2 h blocks promtool re-reads the input once per block.
  for (const recording of recordings) {
    await promisify(execFile)(promtoolBinary!, ['tsdb', 'create-blocks-from', 'openmetrics', `--max-block-duration=${Math.ceil(spanHours) + 2}h`, recording, tsdb], { maxBuffer: 64 << 20 });
  }
  const importMs = Date.now() - started;
  await writeFile(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1m\n');
  const port = await freePort();
  const served = await startServing('Prometheus', 'prometheus', prometheusBinary!, [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${tsdb}`,
    // The history is months old: keep it, whatever today's date.
    '--storage.tsdb.retention.time=100y',
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ], port, dir);
  return { ...served, importMs };
}

export interface FaultyProxy {
  readonly url: string;
  /** Queries seen, as `query start`. */
  readonly seen: string[];
  close(): Promise<void>;
}

export interface Faults {
  /** Required `Authorization: Bearer` token. */
  readonly token: string;
  /** A query_range whose start (seconds) is in one of these answers 503, always. */
  readonly failStarts?: ReadonlySet<number>;
  /** ...or answers after this long. */
  readonly slowStarts?: ReadonlySet<number>;
  readonly slowMs?: number;
  /** ...or carries Prometheus' `warnings` (partial data). */
  readonly warnStarts?: ReadonlySet<number>;
  /** Serve HTTPS with this certificate, asking clients for one signed by `clientCa` when given. */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer; readonly clientCa?: Buffer };
}

/** A real HTTP proxy in front of the real Prometheus that asks for a bearer token and injects faults,
 *  as an authenticating gateway and a struggling server would. */
export async function faultyProxy(upstream: string, faults: Faults): Promise<FaultyProxy> {
  const seen: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString();
    if (req.headers.authorization !== `Bearer ${faults.token}`) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end('Unauthorized\n');
      return;
    }
    const form = new URLSearchParams(body);
    const start = Number(form.get('start'));
    if (req.url?.startsWith('/api/v1/query_range')) seen.push(`${form.get('query')} ${start}`);
    const isRange = req.url?.startsWith('/api/v1/query_range') === true;
    if (isRange && faults.failStarts?.has(start)) {
      res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'error', errorType: 'unavailable', error: 'injected: too many queries' }));
      return;
    }
    if (isRange && faults.slowStarts?.has(start)) await new Promise((r) => { const t = setTimeout(r, faults.slowMs ?? 5_000); timers.add(t); });
    if (res.destroyed) return;
    const answer = await fetch(upstream + req.url, { method: req.method, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: req.method === 'POST' ? body : undefined });
    let text = await answer.text();
    if (isRange && faults.warnStarts?.has(start)) {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      parsed.warnings = ['injected: remote store eu-west-2 did not answer, partial data'];
      text = JSON.stringify(parsed);
    }
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(text);
  };
  const t = faults.tls;
  const server = t
    ? createTlsServer({ cert: t.cert, key: t.key, ...(t.clientCa ? { ca: t.clientCa, requestCert: true, rejectUnauthorized: true } : {}) }, (req, res) => void handler(req, res))
    : createServer((req, res) => void handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `${t ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
