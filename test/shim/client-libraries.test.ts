// The shim around the HTTP clients services really use, each driven for real against the loopback
// partner: 200, 401, 403 with a token_expired body, 429, 500, 503, a hang past the client's
// timeout, a reset, a refused port. For every case: the outcome, error_code and operation in
// /metrics, and the caller's result or error exactly as the same call without the shim gives it.
// Each library is wired as docs/shim.md shows it.
import axios from 'axios';
import { Client as FhirClient } from 'fhir-kit-client';
import got from 'got';
import ky from 'ky';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentClient, instrumentFetch, instrumentQueue, startTelemetry, type Classify, type Telemetry } from 'integration-sentinel/shim';
import { sampleValue, scrape } from './partner-server.js';
import { CASES, caseUrl, errorShape, startCasePartner, type CasePartner, type PartnerCase } from './support/partner-cases.js';

const TIMEOUT_MS = 300;
let partner: CasePartner;
let telemetry: Telemetry;
beforeAll(async () => {
  partner = await startCasePartner();
  telemetry = await startTelemetry({ serviceName: 'client-libraries', port: 0 });
});
afterAll(async () => {
  await telemetry.shutdown();
  await partner.close();
  // SHIM_TABLE=path writes the library × case table of the note.
  if (process.env.SHIM_TABLE) (await import('node:fs')).writeFileSync(process.env.SHIM_TABLE, table.join('\n') + '\n');
});

/** What every library case should count, as a user expects it. */
export const EXPECTED: Record<PartnerCase, { outcome: string; errorCode?: string }> = {
  ok: { outcome: 'success' },
  c401: { outcome: 'auth_error', errorCode: '401' },
  c403: { outcome: 'auth_error', errorCode: 'token_expired' },
  c429: { outcome: 'client_error', errorCode: '429' },
  c500: { outcome: 'server_error', errorCode: '500' },
  c503: { outcome: 'server_error', errorCode: '503' },
  hang: { outcome: 'timeout', errorCode: 'timeout' },
  reset: { outcome: 'network_error', errorCode: 'ECONNRESET' },
  refused: { outcome: 'network_error', errorCode: 'ECONNREFUSED' },
};

const tokenExpired = { outcome: 'auth_error', errorCode: 'token_expired' } as const;
const header = (headers: unknown, name: string): unknown =>
  headers instanceof Headers ? headers.get(name) : (headers as Record<string, unknown> | undefined)?.[name];

interface Library {
  name: string;
  operation: string;
  /** The same call, without and with the shim; resolves to what the caller can compare. */
  call(c: PartnerCase, instrumented: boolean): Promise<unknown>;
}

// Classify hooks read the partner's code where each library puts it; none copies a body into a label.
const fetchClassify: Classify = (res, { threw }) => (!threw && header((res as Response).headers, 'x-error-code') === 'token_expired' ? tokenExpired : undefined);
const axiosClassify: Classify = (err, { threw }) => (threw && (err as { response?: { data?: { error?: string } } }).response?.data?.error === 'token_expired' ? tokenExpired : undefined);
const gotClassify: Classify = (err, { threw }) => (threw && header((err as { response?: { headers?: unknown } }).response?.headers, 'x-error-code') === 'token_expired' ? tokenExpired : undefined);
const kyClassify: Classify = (err, { threw }) => (threw && header((err as { response?: Response }).response?.headers, 'x-error-code') === 'token_expired' ? tokenExpired : undefined);
const undiciClassify: Classify = (res, { threw }) => (!threw && header((res as { headers?: unknown }).headers, 'x-error-code') === 'token_expired' ? tokenExpired : undefined);
const fhirClassify: Classify = (err, { threw }) => (threw && (err as { response?: { data?: { error?: string } } }).response?.data?.error === 'token_expired' ? tokenExpired : undefined);
const errorCodes = ['token_expired'];

const shimFetch = instrumentFetch(fetch, { partner: 'lib-fetch', classify: fetchClassify, errorCodes });
const rawAxios = axios.create({ timeout: TIMEOUT_MS });
const shimAxios = instrumentClient(axios.create({ timeout: TIMEOUT_MS }), { partner: 'lib-axios', classify: axiosClassify, errorCodes });
const gotOptions = { timeout: { request: TIMEOUT_MS }, retry: { limit: 0 } };
const rawGot = got.extend(gotOptions);
const shimGot = instrumentClient(got.extend(gotOptions), { partner: 'lib-got', classify: gotClassify, errorCodes });
const rawKy = ky.create({ timeout: TIMEOUT_MS, retry: 0 });
const shimKy = instrumentClient(ky.create({ timeout: TIMEOUT_MS, retry: 0 }), { partner: 'lib-ky', classify: kyClassify, errorCodes });

const undiciPools = new Map<string, Pool>();
const pool = (origin: string, instrumented: boolean) => {
  const key = `${instrumented} ${origin}`;
  let p = undiciPools.get(key);
  if (!p) undiciPools.set(key, (p = new Pool(origin)));
  return instrumented ? instrumentClient(p, { partner: 'lib-undici', classify: undiciClassify, errorCodes }) : p;
};
afterAll(async () => { await Promise.all([...undiciPools.values()].map((p) => p.destroy())); });

const origin = (c: PartnerCase) => (c === 'refused' ? partner.refusedUrl : partner.url);
const fhir = (c: PartnerCase, instrumented: boolean) => {
  const client = new FhirClient({ baseUrl: `${origin(c)}/fhir` });
  return instrumented ? instrumentClient(client, { partner: 'lib-fhir', classify: fhirClassify, errorCodes }) : client;
};

export const LIBRARIES: Library[] = [
  {
    name: 'fetch', operation: 'GET /patients/{id}',
    async call(c, instrumented) {
      const res = await (instrumented ? shimFetch : fetch)(caseUrl(partner, c), { signal: AbortSignal.timeout(TIMEOUT_MS) });
      return { status: res.status, body: await res.json() };
    },
  },
  {
    name: 'axios', operation: 'GET /patients/{id}',
    async call(c, instrumented) {
      const res = await (instrumented ? shimAxios : rawAxios).get(caseUrl(partner, c));
      return { status: res.status, data: res.data };
    },
  },
  {
    name: 'got', operation: 'GET /patients/{id}',
    // got's promise keeps its own .json() through the shim
    call: (c, instrumented) => (instrumented ? shimGot : rawGot).get(caseUrl(partner, c)).json(),
  },
  {
    name: 'ky', operation: 'GET /patients/{id}',
    call: (c, instrumented) => (instrumented ? shimKy : rawKy).get(caseUrl(partner, c)).json(),
  },
  {
    name: 'undici', operation: 'GET /patients/{id}',
    async call(c, instrumented) {
      const res = await pool(origin(c), instrumented).request({ path: `/patients/${c === 'refused' ? 'ok' : c}`, method: 'GET', headersTimeout: TIMEOUT_MS });
      return { status: res.statusCode, body: await res.body.json() };
    },
  },
  {
    name: 'fhir-kit-client', operation: 'read',
    call: (c, instrumented) => fhir(c, instrumented).read({ resourceType: 'Patient', id: c === 'refused' ? 'ok' : c, options: { signal: AbortSignal.timeout(TIMEOUT_MS) } }),
  },
];

async function settle(p: Promise<unknown>): Promise<{ ok: true; value: unknown } | { ok: false; error: Record<string, unknown> }> {
  try {
    return { ok: true, value: await p };
  } catch (error) {
    return { ok: false, error: errorShape(error) };
  }
}

/** The table the note shows: library × case → outcome / error_code / error_type. */
export const table: string[] = [];

describe.each(LIBRARIES)('$name through the shim', (library) => {
  it.each(CASES)('%s: counted as a user expects, the caller sees what it would without the shim', async (c) => {
    const partnerName = `lib-${library.name === 'fhir-kit-client' ? 'fhir' : library.name}`;
    const without = await settle(library.call(c, false));
    const withShim = await settle(library.call(c, true));
    // Same result or the same error: class, name, message, code, status.
    expect(withShim).toEqual(without);
    const text = await scrape(telemetry.url!);
    const { outcome, errorCode } = EXPECTED[c];
    const labels: Record<string, string> = { partner: partnerName, operation: library.operation, outcome, ...(errorCode ? { error_code: errorCode } : {}) };
    expect(sampleValue(text, 'integration_requests_total', labels), `${library.name} ${c}: ${JSON.stringify(labels)}\n${text.split('\n').filter((l) => l.includes(partnerName)).join('\n')}`).toBe(1);
    expect(sampleValue(text, 'integration_request_duration_seconds_count', { partner: partnerName, operation: library.operation, outcome })).toBeGreaterThanOrEqual(1);
    table.push(`| ${library.name} | ${c} | ${outcome} | ${errorCode ?? ''} | ${without.ok ? 'result' : String(without.error.class)} |`);
  });
});

describe('client libraries beyond one call', () => {
  it('counts an axios instance called as a function, under its templated route', async () => {
    const api = instrumentClient(axios.create({ baseURL: partner.url, timeout: TIMEOUT_MS }), { partner: 'lib-axios-callable' });
    const res = await api({ url: '/patients/ok', method: 'get' });
    expect(res.status).toBe(200);
    await api('/patients/c503').catch(() => undefined);
    const text = await scrape(telemetry.url!);
    expect(sampleValue(text, 'integration_requests_total', { partner: 'lib-axios-callable', operation: 'GET /patients/{id}', outcome: 'success' })).toBe(1);
    expect(sampleValue(text, 'integration_requests_total', { partner: 'lib-axios-callable', operation: 'GET /patients/{id}', outcome: 'server_error', error_code: '503' })).toBe(1);
  });

  it("keeps got's .cancel(), counting the cancelled call as a timeout, not as a 0-second success", async () => {
    const api = instrumentClient(got.extend({ retry: { limit: 0 } }), { partner: 'lib-got-cancel' });
    const pending = api.get(`${partner.url}/patients/hang`);
    setTimeout(() => pending.cancel(), 50);
    const error = await pending.catch((e: unknown) => e);
    expect((error as Error).name).toBe('CancelError');
    const text = await scrape(telemetry.url!);
    expect(sampleValue(text, 'integration_requests_total', { partner: 'lib-got-cancel', operation: 'GET /patients/{id}', outcome: 'timeout', error_code: 'timeout' })).toBe(1);
    expect(text).not.toContain('partner="lib-got-cancel",operation="GET /patients/{id}",outcome="success"');
  });

  it('times got.stream to its end, and keeps got.paginate working (handed back untimed, never an instant success)', async () => {
    const api = instrumentClient(got.extend({ retry: { limit: 0 } }), { partner: 'lib-got-stream' });
    const chunks: Buffer[] = [];
    for await (const chunk of api.stream(`${partner.url}/patients/ok`)) chunks.push(chunk as Buffer);
    expect(JSON.parse(Buffer.concat(chunks).toString()).resourceType).toBe('Patient');
    const pages = await api.paginate.all(`${partner.url}/patients/ok`, { pagination: { transform: (r) => [JSON.parse(String(r.body))], paginate: () => false } });
    expect(pages).toHaveLength(1);
    const text = await scrape(telemetry.url!);
    expect(sampleValue(text, 'integration_requests_total', { partner: 'lib-got-stream', operation: 'GET /patients/{id}', outcome: 'success' })).toBe(1);
    expect(text).not.toMatch(/partner="lib-got-stream",operation="paginate/);
  });

  it('fails a queued event for good on a got 403 and retries a got 503 (the status is on response.statusCode)', async () => {
    const attempts: Record<string, number> = {};
    const q = instrumentQueue<string>('lib-got-queue', async (c) => {
      attempts[c] = (attempts[c] ?? 0) + 1;
      await rawGot.get(caseUrl(partner, c as PartnerCase));
    }, { eventType: (c) => c, maxRetries: 2, backoffMs: () => 5 });
    q.push('c403');
    q.push('c503');
    await q.drain();
    expect(attempts).toEqual({ c403: 1, c503: 3 });
    const text = await scrape(telemetry.url!);
    expect(sampleValue(text, 'integration_queue_events_total', { queue: 'lib-got-queue', event_type: 'c403', outcome: 'failed' })).toBe(1);
    expect(sampleValue(text, 'integration_queue_events_total', { queue: 'lib-got-queue', event_type: 'c403', outcome: 'retried' })).toBeUndefined();
    expect(sampleValue(text, 'integration_queue_events_total', { queue: 'lib-got-queue', event_type: 'c503', outcome: 'retried' })).toBe(2);
  });

  it('names operations by method when the user lists them', async () => {
    const api = instrumentClient(ky.create({ prefixUrl: partner.url, retry: 0 }), { partner: 'lib-ky-named', operations: ['get'] });
    expect(await api.get('patients/ok').json()).toMatchObject({ resourceType: 'Patient' });
    const text = await scrape(telemetry.url!);
    expect(sampleValue(text, 'integration_requests_total', { partner: 'lib-ky-named', operation: 'get', outcome: 'success' })).toBe(1);
  });
});
