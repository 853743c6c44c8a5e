// A fake partner on 127.0.0.1:0 for the shim's tests: answers with the status named in the path
// (`/status/503`), hangs on `/hang`, and echoes 200 for anything else.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { startTelemetry, type Telemetry } from 'integration-sentinel';

export interface PartnerServer {
  url: string;
  close(): Promise<void>;
}

export interface ShimHarness {
  readonly partner: PartnerServer;
  readonly telemetry: Telemetry;
}

/**
 * The instrumentation test files each started this partner and a /metrics exporter on port 0 before
 * their tests and shut both after; this registers those hooks once.
 */
export function usePartnerAndTelemetry(serviceName: string): ShimHarness {
  const servers = {} as { partner: PartnerServer; telemetry: Telemetry };
  beforeAll(async () => {
    servers.partner = await startPartnerServer();
    servers.telemetry = await startTelemetry({ serviceName, port: 0 });
  });
  afterAll(async () => {
    await servers.telemetry.shutdown();
    await servers.partner.close();
  });
  return servers;
}

export async function startPartnerServer(): Promise<PartnerServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const status = /^\/status\/(\d{3})/.exec(path);
    if (path === '/hang') return; // never answers: the client's timeout must fire
    res.statusCode = status ? Number(status[1]) : 200;
    res.setHeader('content-type', 'application/json');
    // echo what was asked in a header and the body: the shim must not copy either into a label
    res.setHeader('x-request-path', encodeURI(req.url ?? ''));
    res.end(JSON.stringify({ ok: res.statusCode < 400, path, headers: req.headers }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Reads /metrics and returns the sample lines (no comments). */
export async function scrape(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`scrape ${url}: HTTP ${res.status}`);
  return res.text();
}

/** The value of the one sample line that has this metric name and exactly these labels. */
export function sampleValue(text: string, metric: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.startsWith(metric)) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!m || m[1] !== metric) continue;
    const got: Record<string, string> = {};
    for (const pair of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) got[pair[1]!] = pair[2]!;
    const keys = Object.keys(labels);
    if (Object.keys(got).length !== keys.length) continue;
    if (keys.every((k) => got[k] === labels[k])) return Number(m[3]);
  }
  return undefined;
}
