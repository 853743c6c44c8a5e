// instrumentQuery around node-postgres against a real PostgreSQL (Debian's server, started once for
// this file): every kind of timeout is error_type="timeout" (the server's statement_timeout, pg's
// query_timeout, a pool that cannot hand out a connection, a connect timeout), a database error
// carries its SQLSTATE, a refused connection its network code; callback-style queries are timed to
// their callback; the caller gets the same rows or the same error as without the shim.
import { createServer, type Server } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentQuery, startTelemetry, type Telemetry } from 'integration-sentinel/shim';
import { sampleValue, scrape } from './partner-server.js';
import { errorShape } from './support/partner-cases.js';
import { freePort } from './support/free-port.js';
import { POSTGRES_MISSING, postgresBin, startPostgres, type Postgres } from './support/postgres.js';

const available = postgresBin() !== undefined;
if (!available) console.warn(POSTGRES_MISSING);

let db: Postgres;
let telemetry: Telemetry;
let pool: pg.Pool;
let config: pg.ClientConfig;
beforeAll(async () => {
  if (!available) return;
  db = await startPostgres();
  config = { host: db.host, port: db.port, user: db.user, database: db.database };
  pool = new pg.Pool({ ...config, max: 4 });
  await pool.query('create table patients (id int primary key, family text)');
  await pool.query("insert into patients values (1, 'Example')");
  telemetry = await startTelemetry({ serviceName: 'pg-test', port: 0 });
}, 120_000);
afterAll(async () => {
  if (!available) return;
  await telemetry?.shutdown();
  await pool?.end();
  db?.stop();
});

const durationCount = (text: string, name: string, errorType?: string) =>
  sampleValue(text, 'db_client_operation_duration_seconds_count', { db_operation_name: name, db_system_name: 'postgresql', ...(errorType ? { error_type: errorType } : {}) });

async function outcome(p: Promise<unknown>): Promise<unknown> {
  try { return { rows: ((await p) as pg.QueryResult).rows }; } catch (e) { return errorShape(e); }
}

/** The same query without and with the shim: same rows or same error; returns the scrape after. */
async function compare(name: string, run: () => Promise<unknown>): Promise<string> {
  const without = await outcome(run());
  const withShim = await outcome(instrumentQuery(name, run, { system: 'postgresql' })());
  expect(withShim).toEqual(without);
  return scrape(telemetry.url!);
}

describe.skipIf(!available)('instrumentQuery with pg against a real PostgreSQL', () => {
  it('times a successful query and returns its rows', async () => {
    const text = await compare('find_patient', () => pool.query('select family from patients where id = $1', [1]));
    expect(durationCount(text, 'find_patient')).toBe(1);
  });

  it('labels the server-side statement_timeout (SQLSTATE 57014) error_type="timeout"', async () => {
    const client = new pg.Client({ ...config, statement_timeout: 50 });
    await client.connect();
    try {
      const text = await compare('slow_statement', () => client.query('select pg_sleep(1)'));
      expect(durationCount(text, 'slow_statement', 'timeout')).toBe(1);
    } finally { await client.end(); }
  });

  it("labels pg's query_timeout (\"Query read timeout\") error_type=\"timeout\"", async () => {
    const slow = new pg.Pool({ ...config, query_timeout: 100 });
    try {
      const text = await compare('register_patient', () => slow.query('select pg_sleep(1)'));
      expect(durationCount(text, 'register_patient', 'timeout')).toBe(1);
    } finally { await slow.end(); }
  });

  it('labels a pool that cannot hand out a connection in time (connectionTimeoutMillis) error_type="timeout"', async () => {
    const small = new pg.Pool({ ...config, max: 1, connectionTimeoutMillis: 100 });
    const held = await small.connect();
    try {
      const text = await compare('find_patient_associations', () => small.query('select 1'));
      expect(durationCount(text, 'find_patient_associations', 'timeout')).toBe(1);
    } finally { held.release(); await small.end(); }
  });

  it('labels a connect timeout error_type="timeout" and a refused connection error_type="ECONNREFUSED"', async () => {
    const silent: Server = createServer(() => { /* accepts, never answers */ });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const port = (silent.address() as { port: number }).port;
      let text = await compare('connect_silent', () => new pg.Pool({ ...config, port, connectionTimeoutMillis: 100 }).query('select 1'));
      expect(durationCount(text, 'connect_silent', 'timeout')).toBe(1);
      const refused = await freePort();
      text = await compare('connect_refused', () => new pg.Pool({ ...config, port: refused }).query('select 1'));
      expect(durationCount(text, 'connect_refused', 'ECONNREFUSED')).toBe(1);
    } finally { silent.close(); }
  });

  it('labels database errors with their SQLSTATE, never the message', async () => {
    let text = await compare('bad_syntax', () => pool.query('selec 1'));
    expect(durationCount(text, 'bad_syntax', '42601')).toBe(1);
    text = await compare('missing_table', () => pool.query('select * from appointments'));
    expect(durationCount(text, 'missing_table', '42P01')).toBe(1);
    text = await compare('duplicate_patient', () => pool.query("insert into patients values (1, 'Smith')"));
    expect(durationCount(text, 'duplicate_patient', '23505')).toBe(1);
    expect(text).not.toMatch(/Smith|patients_pkey|appointments/);
  });

  it('times a callback-style query to its callback, not as an instant success', async () => {
    const query = instrumentQuery('callback_sleep', (sql: string, cb: (err: Error | null, r?: pg.QueryResult) => void) => pool.query(sql, cb), { system: 'postgresql' });
    const rows = await new Promise<unknown[]>((resolve, reject) => query('select pg_sleep(0.06), 1 as one', (err, r) => (err ? reject(err) : resolve(r!.rows))));
    expect(rows).toEqual([{ pg_sleep: '', one: 1 }]);
    const text = await scrape(telemetry.url!);
    const labels = { db_operation_name: 'callback_sleep', db_system_name: 'postgresql' };
    expect(sampleValue(text, 'db_client_operation_duration_seconds_bucket', { ...labels, le: '0.05' })).toBe(0);
    expect(sampleValue(text, 'db_client_operation_duration_seconds_count', labels)).toBe(1);
  });

  it('takes a classify hook for codes of its own, bounded by errorCodes', async () => {
    const insert = instrumentQuery('insert_patient', () => pool.query("insert into patients values (1, 'Again')"), {
      system: 'postgresql',
      errorCodes: ['duplicate_patient'],
      classify: (err, { threw }) => (threw && (err as { code?: string }).code === '23505' ? { errorCode: 'duplicate_patient' } : undefined),
    });
    await insert().catch(() => undefined);
    const text = await scrape(telemetry.url!);
    expect(durationCount(text, 'insert_patient', 'duplicate_patient')).toBe(1);
  });
});
