import { describe, expect, it } from 'vitest';
import { instrumentFetch } from 'integration-sentinel';
import { sampleValue, scrape, startPartnerServer, usePartnerAndTelemetry } from './partner-server.js';

const servers = usePartnerAndTelemetry('fetch-test');
const requests = async (labels: Record<string, string>) => sampleValue(await scrape(servers.telemetry.url!), 'integration_requests_total', labels);

describe('instrumentFetch', () => {
  it('returns the very response fetch returned, and counts it as a success', async () => {
    const f = instrumentFetch(fetch, { partner: 'ok-partner' });
    const res = await f(`${servers.partner.url}/appointments`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, path: '/appointments' });
    expect(await requests({ partner: 'ok-partner', operation: 'GET /appointments', outcome: 'success' })).toBe(1);
  });

  it('classifies 401 as auth_error, other 4xx as client_error and 5xx as server_error', async () => {
    const f = instrumentFetch(fetch, { partner: 'status-partner', routes: ['/status/:code'] });
    for (const s of [401, 403, 404, 503, 503]) await f(`${servers.partner.url}/status/${s}`, { method: 'POST' });
    const op = 'POST /status/{code}';
    expect(await requests({ partner: 'status-partner', operation: op, outcome: 'auth_error', error_code: '401' })).toBe(1);
    expect(await requests({ partner: 'status-partner', operation: op, outcome: 'client_error', error_code: '403' })).toBe(1);
    expect(await requests({ partner: 'status-partner', operation: op, outcome: 'client_error', error_code: '404' })).toBe(1);
    expect(await requests({ partner: 'status-partner', operation: op, outcome: 'server_error', error_code: '503' })).toBe(2);
  });

  it('counts an aborted request as a timeout and rethrows the abort untouched', async () => {
    const f = instrumentFetch(fetch, { partner: 'slow-partner' });
    const err = await f(`${servers.partner.url}/hang`, { signal: AbortSignal.timeout(50) }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('TimeoutError');
    expect(await requests({ partner: 'slow-partner', operation: 'GET /{id}', outcome: 'timeout', error_code: 'timeout' })).toBe(1);
  });

  it('counts a refused connection as network_error with the system code, not the message', async () => {
    const closed = await startPartnerServer();
    const url = closed.url;
    await closed.close();
    const f = instrumentFetch(fetch, { partner: 'down-partner' });
    const err = await f(`${url}/patients`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(await requests({ partner: 'down-partner', operation: 'GET /patients', outcome: 'network_error', error_code: 'ECONNREFUSED' })).toBe(1);
  });

  it('takes the partner code from classify when it is in the declared set, and other when not', async () => {
    const answers = ['token_expired', 'Patient 123 not found', 'undeclared_code'];
    let i = 0;
    const f = instrumentFetch(fetch, {
      partner: 'elation-like',
      errorCodes: ['token_expired'],
      classify: (value, ctx) => (!ctx.threw && (value as Response).status === 403 ? { outcome: 'auth_error', errorCode: answers[i++] } : undefined),
    });
    for (let n = 0; n < 3; n++) await f(`${servers.partner.url}/status/403`);
    const text = await scrape(servers.telemetry.url!);
    expect(sampleValue(text, 'integration_requests_total', { partner: 'elation-like', operation: 'GET /status/{id}', outcome: 'auth_error', error_code: 'token_expired' })).toBe(1);
    expect(sampleValue(text, 'integration_requests_total', { partner: 'elation-like', operation: 'GET /status/{id}', outcome: 'auth_error', error_code: 'other' })).toBe(2);
    expect(text).not.toContain('Patient 123');
    expect(text).not.toContain('undeclared_code');
  });

  it('keeps the default verdict when classify throws or answers an unknown outcome', async () => {
    const f1 = instrumentFetch(fetch, { partner: 'hook-throws', classify: () => { throw new Error('boom'); } });
    const f2 = instrumentFetch(fetch, { partner: 'hook-garbage', classify: () => ({ outcome: 'exploded' as never, errorCode: 42 as never }) });
    expect((await f1(`${servers.partner.url}/status/503`)).status).toBe(503);
    await f2(`${servers.partner.url}/status/503`);
    expect(await requests({ partner: 'hook-throws', operation: 'GET /status/{id}', outcome: 'server_error', error_code: '503' })).toBe(1);
    expect(await requests({ partner: 'hook-garbage', operation: 'GET /status/{id}', outcome: 'server_error', error_code: 'other' })).toBe(1);
  });

  it('uses declared routes first and reports an unmatched path as other', async () => {
    const f = instrumentFetch(fetch, { partner: 'routed', routes: ['/patients/:id', 'PUT /patients/:id/insurance'] });
    await f(`${servers.partner.url}/patients/8812`);
    await f(new URL(`${servers.partner.url}/patients/8813?x=1`));
    await f(new Request(`${servers.partner.url}/patients/8814/insurance`, { method: 'PUT' }));
    await f(`${servers.partner.url}/lab-results/77`);
    const text = await scrape(servers.telemetry.url!);
    expect(sampleValue(text, 'integration_requests_total', { partner: 'routed', operation: 'GET /patients/{id}', outcome: 'success' })).toBe(2);
    expect(sampleValue(text, 'integration_requests_total', { partner: 'routed', operation: 'PUT /patients/{id}/insurance', outcome: 'success' })).toBe(1);
    expect(sampleValue(text, 'integration_requests_total', { partner: 'routed', operation: 'other', outcome: 'success' })).toBe(1);
  });

  it('caps a partner at maxOperations and counts the overflow', async () => {
    const f = instrumentFetch(fetch, { partner: 'sprawling', maxOperations: 3, staticSegments: ['a', 'b', 'c', 'd', 'e'] });
    for (const seg of ['a', 'b', 'c', 'd', 'e', 'a']) await f(`${servers.partner.url}/${seg}`);
    const text = await scrape(servers.telemetry.url!);
    expect(sampleValue(text, 'integration_requests_total', { partner: 'sprawling', operation: 'GET /a', outcome: 'success' })).toBe(2);
    expect(sampleValue(text, 'integration_requests_total', { partner: 'sprawling', operation: 'other', outcome: 'success' })).toBe(2);
    expect(sampleValue(text, 'sentinel_cardinality_overflow_total', { partner: 'sprawling' })).toBe(2);
  });

  it('caps at 200 operations per partner by default, shared by every wrapper of that partner', async () => {
    const f1 = instrumentFetch(fetch, { partner: 'wide', routes: Array.from({ length: 120 }, (_, i) => `/r${i}`) });
    const f2 = instrumentFetch(fetch, { partner: 'wide', routes: Array.from({ length: 120 }, (_, i) => `/s${i}`) });
    for (let i = 0; i < 120; i++) { await f1(`${servers.partner.url}/r${i}`); await f2(`${servers.partner.url}/s${i}`); }
    const text = await scrape(servers.telemetry.url!);
    const ops = text.split('\n').filter((l) => l.startsWith('integration_requests_total{partner="wide"'));
    expect(ops).toHaveLength(201); // 200 operations + other
    expect(sampleValue(text, 'sentinel_cardinality_overflow_total', { partner: 'wide' })).toBe(40);
  });

  it('rejects a partner name that is not a plain name', () => {
    expect(() => instrumentFetch(fetch, { partner: 'Dr. Smith <x>' })).toThrow(/partner name "Dr. Smith <x>" is not valid/);
    expect(() => instrumentFetch(fetch, { partner: 'ok', routes: ['patients/:id'] })).toThrow(/must start with "\/"/);
  });
});
