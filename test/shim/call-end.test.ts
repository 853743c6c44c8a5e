// When a call is over, for the shapes client methods return: a lazy thenable (a query builder) runs
// once and only when awaited, a Node-style callback is timed to its call, a function argument of a
// promise-returning method is not mistaken for a callback, and listener methods get the caller's
// own function (so `off` still finds it).
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { instrumentClient, instrumentQuery } from 'integration-sentinel/shim';
import { sampleValue, scrape, usePartnerAndTelemetry } from './partner-server.js';

const servers = usePartnerAndTelemetry('call-end-test');
const count = (text: string, partner: string, operation: string, outcome = 'success') =>
  sampleValue(text, 'integration_requests_total', { partner, operation, outcome });

describe('the end of a call', () => {
  it('runs a lazy thenable once, when the caller awaits it, and keeps its own methods', async () => {
    let runs = 0;
    const builder = () => ({
      where() { return this; },
      then(resolve: (v: unknown) => unknown, reject: (e: unknown) => unknown) { runs++; return Promise.resolve([{ id: 1 }]).then(resolve, reject); },
    });
    const db = instrumentClient({ select: builder }, { partner: 'lazy-db' });
    const query = db.select();
    expect(typeof query.where).toBe('function');
    expect(runs).toBe(0);
    expect(await query).toEqual([{ id: 1 }]);
    expect(runs).toBe(1);
    expect(count(await scrape(servers.telemetry.url!), 'lazy-db', 'select')).toBe(1);
  });

  it('times a callback-style method to its callback, with the error the callback got', async () => {
    const legacy = instrumentClient({
      lookup(id: string, cb: (err: Error | null, v?: string) => void) { setTimeout(() => (id === 'bad' ? cb(new RangeError('no such patient 4471')) : cb(null, 'ok')), 30); },
    }, { partner: 'callback-client' });
    expect(await new Promise((resolve) => legacy.lookup('1', (_e, v) => resolve(v)))).toBe('ok');
    const error = await new Promise((resolve) => legacy.lookup('bad', (e) => resolve(e)));
    expect(error).toBeInstanceOf(RangeError);
    const text = await scrape(servers.telemetry.url!);
    expect(count(text, 'callback-client', 'lookup')).toBe(1);
    expect(sampleValue(text, 'integration_requests_total', { partner: 'callback-client', operation: 'lookup', outcome: 'network_error', error_code: 'RangeError' })).toBe(1);
    expect(sampleValue(text, 'integration_request_duration_seconds_bucket', { partner: 'callback-client', operation: 'lookup', outcome: 'success', le: '0.025' })).toBe(0);
  });

  it('does not take the function of a promise-returning method for a callback', async () => {
    const transaction = instrumentQuery('with_transaction', async (work: (tx: { id: number }) => Promise<number>) => work({ id: 7 }));
    expect(await transaction(async (tx) => tx.id * 6)).toBe(42);
    const text = await scrape(servers.telemetry.url!);
    expect(sampleValue(text, 'db_client_operation_duration_seconds_count', { db_operation_name: 'with_transaction', db_system_name: 'other_sql' })).toBe(1);
    expect(text).not.toContain('db_operation_name="with_transaction",db_system_name="other_sql",error_type');
  });

  it("hands listener methods the caller's own function, so off() still removes it", () => {
    const emitter = instrumentClient(new EventEmitter(), { partner: 'emitter-client' });
    let heard = 0;
    const listener = () => { heard++; };
    emitter.on('result', listener);
    emitter.emit('result');
    emitter.off('result', listener);
    emitter.emit('result');
    expect(heard).toBe(1);
  });
});
