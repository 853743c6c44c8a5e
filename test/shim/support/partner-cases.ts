// The loopback partner every library case is driven against. The last path segment names the case,
// so every call templates to the same operation (`GET /patients/{id}`, `Patient/{id}` for FHIR):
//   ok → 200 JSON, c401, c403 (a token_expired body and header), c429, c500, c503 → that status,
//   hang → never answers (past the client's timeout), reset → TCP reset once the request arrived.
// A port with nothing listening stands in for a refused connection.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from './free-port.js';

export const CASES = ['ok', 'c401', 'c403', 'c429', 'c500', 'c503', 'hang', 'reset', 'refused'] as const;
export type PartnerCase = (typeof CASES)[number];

export interface CasePartner {
  readonly url: string;
  /** A base URL on which nothing listens. */
  readonly refusedUrl: string;
  /** Paths asked for, in order, so a test can check a client really called. */
  readonly seen: string[];
  close(): Promise<void>;
}

export async function startCasePartner(): Promise<CasePartner> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    seen.push(path);
    const name = path.split('/').filter(Boolean).at(-1) ?? '';
    if (name === 'hang') return;
    if (name === 'reset') { req.socket.resetAndDestroy(); return; }
    const status = /^c(\d{3})$/.exec(name) ? Number(name.slice(1)) : 200;
    res.statusCode = status;
    res.setHeader('content-type', 'application/json');
    if (status === 403) {
      res.setHeader('x-error-code', 'token_expired');
      res.end(JSON.stringify({ error: 'token_expired', detail: 'token of patient 4471 expired' }));
    } else if (status === 200) {
      res.end(JSON.stringify({ resourceType: 'Patient', id: name, name: [{ family: 'Example' }] }));
    } else {
      res.end(JSON.stringify({ error: `status ${status}` }));
    }
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const refusedUrl = `http://127.0.0.1:${await freePort()}`;
  return {
    url: `http://127.0.0.1:${port}`,
    refusedUrl,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The URL of a case on this partner (the refused case on the dead port). */
export function caseUrl(partner: CasePartner, c: PartnerCase, prefix = '/patients'): string {
  return c === 'refused' ? `${partner.refusedUrl}${prefix}/ok` : `${partner.url}${prefix}/${c}`;
}

/** What a caller can see of an error: enough to tell two errors apart, nothing with identity. */
export function errorShape(error: unknown): Record<string, unknown> {
  if (error === null || typeof error !== 'object') return { value: error };
  const e = error as Record<string, any>;
  const response = e.response as Record<string, any> | undefined;
  return {
    class: e.constructor?.name,
    name: e.name,
    message: e.message,
    code: e.code,
    status: e.status ?? response?.status ?? response?.statusCode,
    causeCode: e.cause?.code ?? e.cause?.cause?.code,
  };
}
