import { describe, expect, it } from 'vitest';
import { instrumentClient } from 'integration-sentinel';
import { sampleValue, scrape, usePartnerAndTelemetry } from './partner-server.js';

const servers = usePartnerAndTelemetry('client-test');

class PartnerError extends Error {
  constructor(message: string, readonly status: number) { super(message); }
}

/** A partner SDK client as they come: private state, sync and async methods, plain properties. */
class LabClient {
  #token: string;
  readonly baseUrl: string;
  calls = 0;
  constructor(baseUrl: string, token: string) { this.baseUrl = baseUrl; this.#token = token; }
  tokenPrefix(): string { this.calls++; return this.#token.slice(0, 3); }
  async getResult(id: string): Promise<{ id: string; status: number }> {
    const res = await fetch(`${this.baseUrl}/results/${id}`, { headers: { authorization: this.#token } });
    return { id, status: res.status };
  }
  async getStatus(code: number): Promise<Response> { return fetch(`${this.baseUrl}/status/${code}`); }
  async rejectWith(status: number): Promise<never> { throw new PartnerError(`lab refused patient MRN-55501`, status); }
  explode(): never { throw new RangeError('SSN 123-45-6789 is malformed'); }
}

describe('instrumentClient', () => {
  it('runs methods with this = the real client, so #private fields work, sync and async', async () => {
    const raw = new LabClient(servers.partner.url, 'secret-token');
    const client = instrumentClient(raw, { partner: 'lab-a' });
    expect(client.tokenPrefix()).toBe('sec');
    expect(await client.getResult('r-991')).toEqual({ id: 'r-991', status: 200 });
    expect(raw.calls).toBe(1);
    const text = await scrape(servers.telemetry.url!);
    expect(sampleValue(text, 'integration_requests_total', { partner: 'lab-a', operation: 'tokenPrefix', outcome: 'success' })).toBe(1);
    expect(sampleValue(text, 'integration_requests_total', { partner: 'lab-a', operation: 'getResult', outcome: 'success' })).toBe(1);
    expect(sampleValue(text, 'integration_request_duration_seconds_count', { partner: 'lab-a', operation: 'getResult', outcome: 'success' })).toBe(1);
    expect(text).not.toContain('r-991');
    expect(text).not.toContain('secret-token');
  });

  it('passes non-function properties through and lets writes reach the client', () => {
    const raw = new LabClient(servers.partner.url, 't');
    const client = instrumentClient(raw, { partner: 'lab-b' });
    expect(client.baseUrl).toBe(servers.partner.url);
    client.calls = 41;
    expect(raw.calls).toBe(41);
    expect(client instanceof LabClient).toBe(true);
  });

  it('rethrows the original error object, sync and async, and labels it without its message', async () => {
    const client = instrumentClient(new LabClient(servers.partner.url, 't'), { partner: 'lab-c' });
    let syncError: unknown;
    try { client.explode(); } catch (e) { syncError = e; }
    expect(syncError).toBeInstanceOf(RangeError);
    expect((syncError as Error).message).toBe('SSN 123-45-6789 is malformed');
    const asyncError = await client.rejectWith(403).catch((e: unknown) => e);
    expect(asyncError).toBeInstanceOf(PartnerError);
    await client.rejectWith(401).catch(() => undefined);
    const text = await scrape(servers.telemetry.url!);
    expect(sampleValue(text, 'integration_requests_total', { partner: 'lab-c', operation: 'explode', outcome: 'network_error', error_code: 'RangeError' })).toBe(1);
    expect(sampleValue(text, 'integration_requests_total', { partner: 'lab-c', operation: 'rejectWith', outcome: 'client_error', error_code: '403' })).toBe(1);
    expect(sampleValue(text, 'integration_requests_total', { partner: 'lab-c', operation: 'rejectWith', outcome: 'auth_error', error_code: '401' })).toBe(1);
    expect(text).not.toMatch(/123-45-6789|MRN-55501|malformed/);
  });

  it('reads the status of a Response a method returns', async () => {
    const client = instrumentClient(new LabClient(servers.partner.url, 't'), { partner: 'lab-d' });
    await client.getStatus(503);
    expect(sampleValue(await scrape(servers.telemetry.url!), 'integration_requests_total', { partner: 'lab-d', operation: 'getStatus', outcome: 'server_error', error_code: '503' })).toBe(1);
  });

  it('instruments only the listed operations when operations is given', async () => {
    const client = instrumentClient(new LabClient(servers.partner.url, 't'), { partner: 'lab-e', operations: ['getResult'] });
    client.tokenPrefix();
    await client.getResult('1');
    const text = await scrape(servers.telemetry.url!);
    expect(sampleValue(text, 'integration_requests_total', { partner: 'lab-e', operation: 'getResult', outcome: 'success' })).toBe(1);
    expect(text).not.toContain('operation="tokenPrefix",outcome="success"} 2');
    expect(text.split('\n').filter((l) => l.includes('partner="lab-e"') && l.startsWith('integration_requests_total'))).toHaveLength(1);
  });

  it('leaves classes stored on the client constructible', () => {
    class NotFound extends Error {}
    const client = instrumentClient({ NotFound, find: () => 1 }, { partner: 'lab-h' });
    expect(new client.NotFound('x')).toBeInstanceOf(NotFound);
    expect(client.find()).toBe(1);
  });

  it('returns the same wrapper on every access, so identity checks and removeListener work', () => {
    const client = instrumentClient(new LabClient(servers.partner.url, 't'), { partner: 'lab-f' });
    expect(client.getResult).toBe(client.getResult);
  });

  it('maps a partner code through classify, with the bounded set enforced', async () => {
    const client = instrumentClient({ async sync(): Promise<{ error: string }> { return { error: 'TOKEN_EXPIRED for jane.doe@example.com' }; } }, {
      partner: 'ehr-g',
      errorCodes: ['token_expired'],
      classify: (value, ctx) => {
        const err = !ctx.threw && (value as { error?: string }).error;
        if (!err) return undefined;
        return { outcome: 'auth_error', errorCode: err.startsWith('TOKEN_EXPIRED') ? 'token_expired' : err };
      },
    });
    await client.sync();
    const text = await scrape(servers.telemetry.url!);
    expect(sampleValue(text, 'integration_requests_total', { partner: 'ehr-g', operation: 'sync', outcome: 'auth_error', error_code: 'token_expired' })).toBe(1);
    expect(text).not.toContain('jane.doe');
  });
});
