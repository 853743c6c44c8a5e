import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentQuery, startTelemetry, type Telemetry } from 'integration-sentinel';
import { sampleValue, scrape } from './partner-server.js';

let telemetry: Telemetry;
beforeAll(async () => { telemetry = await startTelemetry({ serviceName: 'query-test', port: 0 }); });
afterAll(async () => { await telemetry.shutdown(); });

class QueryTimeoutError extends Error { code = '57014'; }

describe('instrumentQuery', () => {
  it('times a query and returns its result, forwarding this and arguments', async () => {
    const repo = {
      rows: [{ id: 1 }],
      find: instrumentQuery('find_patient_associations', async function (this: { rows: unknown[] }, limit: number) { return this.rows.slice(0, limit); }, { system: 'postgresql' }),
    };
    expect(await repo.find(1)).toEqual([{ id: 1 }]);
    const text = await scrape(telemetry.url!);
    expect(sampleValue(text, 'db_client_operation_duration_seconds_count', { db_operation_name: 'find_patient_associations', db_system_name: 'postgresql' })).toBe(1);
  });

  it('labels a statement timeout error_type=timeout and any other failure with its class, never the message', async () => {
    const timingOut = instrumentQuery('register_patient', async () => { throw new QueryTimeoutError('canceling statement due to statement timeout for patient 4471'); }, { system: 'postgresql' });
    const broken = instrumentQuery('register_patient', () => { throw new SyntaxError('near "Smith"'); }, { system: 'postgresql' });
    const e1 = await timingOut().catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(QueryTimeoutError);
    expect(() => broken()).toThrow(SyntaxError);
    const text = await scrape(telemetry.url!);
    expect(sampleValue(text, 'db_client_operation_duration_seconds_count', { db_operation_name: 'register_patient', db_system_name: 'postgresql', error_type: 'timeout' })).toBe(1);
    expect(sampleValue(text, 'db_client_operation_duration_seconds_count', { db_operation_name: 'register_patient', db_system_name: 'postgresql', error_type: 'SyntaxError' })).toBe(1);
    expect(text).not.toMatch(/4471|Smith/);
  });

  it('puts a slow query in the bucket that matches its duration', async () => {
    const slow = instrumentQuery('slow_count', () => new Promise((r) => setTimeout(() => r(0), 30)));
    await slow();
    const text = await scrape(telemetry.url!);
    const labels = { db_operation_name: 'slow_count', db_system_name: 'other_sql' };
    expect(sampleValue(text, 'db_client_operation_duration_seconds_bucket', { ...labels, le: '0.025' })).toBe(0);
    expect(sampleValue(text, 'db_client_operation_duration_seconds_bucket', { ...labels, le: '0.05' })).toBe(1);
  });

  it('adds up a query wrapped twice under the same name in one series', async () => {
    const a = instrumentQuery('shared_lookup', () => 1, { system: 'mysql' });
    const b = instrumentQuery('shared_lookup', () => 2, { system: 'mysql' });
    a(); b(); b();
    const text = await scrape(telemetry.url!);
    const lines = text.split('\n').filter((l) => l.startsWith('db_client_operation_duration_seconds_count{db_operation_name="shared_lookup"'));
    expect(lines).toEqual(['db_client_operation_duration_seconds_count{db_operation_name="shared_lookup",db_system_name="mysql"} 3']);
  });

  it('rejects a query name or system that could carry data', () => {
    expect(() => instrumentQuery('SELECT * FROM patients WHERE ssn=1', () => 0)).toThrow(/query name/);
    expect(() => instrumentQuery('q', () => 0, { system: 'Postgres 16!' })).toThrow(/db.system.name/);
  });
});
