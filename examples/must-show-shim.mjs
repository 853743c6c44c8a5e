// What the shim must show. Imports the package by name, drives instrumentFetch,
// instrumentClient, instrumentQuery and instrumentQueue against a real partner on loopback
// (200s, 403s, 503s, an id and an SSN in the URL, a class with #private fields, a method that
// throws), reads the exporter's /metrics and checks every series, its count, and that no identifier
// is anywhere in it. Prints a PASS/FAIL table; exits 1 on any failure.
//   npm run build && npx node examples/must-show-shim.mjs
import { createServer } from 'node:http';
import { instrumentClient, instrumentFetch, instrumentQuery, instrumentQueue, startTelemetry } from 'integration-sentinel/shim';

const PATIENT_ID = '48213';
const SSN = '123-45-6789';
const API_KEY = 'sk-live-9f8e7d6c5b4a';

// The partner: /documents/* answers 403, /appointments 503, everything else 200 with patient data.
const partner = createServer((req, res) => {
  const path = req.url.split('?')[0];
  res.setHeader('content-type', 'application/json');
  if (path.startsWith('/documents/')) res.statusCode = 403;
  else if (path === '/appointments') res.statusCode = 503;
  res.end(JSON.stringify({ path, patient: { name: 'Jane Q. Example', ssn: SSN } }));
});
await new Promise((r) => partner.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${partner.address().port}`;
const telemetry = await startTelemetry({ serviceName: 'must-show', port: 0 });

// fetch: 5 × 200 with an id, 1 × 200 with an SSN in the path, 3 × 403, 2 × 503
const ehr = instrumentFetch(fetch, { partner: 'ehr' });
for (let i = 0; i < 5; i++) await (await ehr(`${base}/patients/${PATIENT_ID}?ssn=${SSN}`)).text();
await (await ehr(`${base}/patients/${SSN}`)).text();
for (let i = 0; i < 3; i++) await (await ehr(`${base}/documents/${PATIENT_ID}`)).text();
for (let i = 0; i < 2; i++) await (await ehr(`${base}/appointments`, { method: 'POST', body: '{}' })).text();

// client: a class with #private fields; 4 async calls, 1 sync call, 2 calls that throw
class LabClient {
  #apiKey;
  #baseUrl;
  constructor(baseUrl, apiKey) { this.#baseUrl = baseUrl; this.#apiKey = apiKey; }
  async getResult(id) { return (await fetch(`${this.#baseUrl}/results/${id}`, { headers: { 'x-api-key': this.#apiKey } })).json(); }
  keyPrefix() { return this.#apiKey.slice(0, 3); }
  validate(ssn) { throw new RangeError(`invalid SSN ${ssn} for patient ${PATIENT_ID}`); }
}
const lab = instrumentClient(new LabClient(base, API_KEY), { partner: 'lab' });
for (let i = 0; i < 4; i++) await lab.getResult(`${PATIENT_ID}-${i}`);
const prefixOk = lab.keyPrefix() === 'sk-';
let sameError = true;
for (let i = 0; i < 2; i++) {
  try { lab.validate(SSN); sameError = false; } catch (e) { sameError &&= e instanceof RangeError && e.message.includes(SSN); }
}

// query: 3 fine, 1 statement timeout
const findAssociations = instrumentQuery('find_patient_associations', async (id) => {
  if (id === SSN) throw Object.assign(new Error(`canceling statement due to statement timeout (${id})`), { code: '57014' });
  return [{ id }];
}, { system: 'postgresql' });
for (let i = 0; i < 3; i++) await findAssociations(PATIENT_ID);
await findAssociations(SSN).catch(() => undefined);

// queue: 3 events for two patients, one retried once, then all processed
let failOnce = true;
const sync = instrumentQueue('ehr-sync', async () => { if (failOnce) { failOnce = false; throw new Error('busy'); } }, {
  eventType: (e) => e.type, resourceKey: (e) => e.patientId, backoffMs: () => 10,
});
sync.push({ type: 'patient.updated', patientId: PATIENT_ID });
sync.push({ type: 'patient.updated', patientId: PATIENT_ID });
sync.push({ type: 'patient.updated', patientId: SSN });
await sync.drain();

const text = await (await fetch(telemetry.url)).text();

/** Value of the sample with exactly these labels (label order as the exporter writes them). */
function value(metric, labels) {
  const want = `${metric}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}} `;
  const line = text.split('\n').find((l) => l.startsWith(want));
  return line === undefined ? undefined : Number(line.slice(want.length));
}

const checks = [
  ['fetch 200 with an id and an SSN in the URL', 'integration_requests_total', { partner: 'ehr', operation: 'GET /patients/{id}', outcome: 'success' }, 6],
  ['fetch 403 → client_error', 'integration_requests_total', { partner: 'ehr', operation: 'GET /documents/{id}', outcome: 'client_error', error_code: '403' }, 3],
  ['fetch 503 → server_error', 'integration_requests_total', { partner: 'ehr', operation: 'POST /appointments', outcome: 'server_error', error_code: '503' }, 2],
  ['fetch latency histogram', 'integration_request_duration_seconds_count', { partner: 'ehr', operation: 'GET /patients/{id}', outcome: 'success' }, 6],
  ['fetch latency, 503s', 'integration_request_duration_seconds_count', { partner: 'ehr', operation: 'POST /appointments', outcome: 'server_error' }, 2],
  ['client async method (#private)', 'integration_requests_total', { partner: 'lab', operation: 'getResult', outcome: 'success' }, 4],
  ['client sync method (#private)', 'integration_requests_total', { partner: 'lab', operation: 'keyPrefix', outcome: 'success' }, 1],
  ['client method that throws', 'integration_requests_total', { partner: 'lab', operation: 'validate', outcome: 'network_error', error_code: 'RangeError' }, 2],
  ['client latency histogram', 'integration_request_duration_seconds_count', { partner: 'lab', operation: 'getResult', outcome: 'success' }, 4],
  ['query ok', 'db_client_operation_duration_seconds_count', { db_operation_name: 'find_patient_associations', db_system_name: 'postgresql' }, 3],
  ['query timeout', 'db_client_operation_duration_seconds_count', { db_operation_name: 'find_patient_associations', db_system_name: 'postgresql', error_type: 'timeout' }, 1],
  ['queue enqueued', 'integration_queue_events_total', { queue: 'ehr-sync', event_type: 'patient.updated', outcome: 'enqueued' }, 3],
  ['queue retried', 'integration_queue_events_total', { queue: 'ehr-sync', event_type: 'patient.updated', outcome: 'retried' }, 1],
  ['queue processed', 'integration_queue_events_total', { queue: 'ehr-sync', event_type: 'patient.updated', outcome: 'processed' }, 3],
  ['queue pending', 'integration_queue_pending_events', { queue: 'ehr-sync' }, 0],
  ['queue oldest pending age', 'integration_queue_oldest_pending_age_seconds', { queue: 'ehr-sync' }, 0],
].map(([what, metric, labels, expected]) => {
  const got = value(metric, labels);
  return { what, series: `${metric}{${Object.values(labels).join(',')}}`, expected: String(expected), got: String(got), pass: got === expected };
});
checks.push({ what: 'this = real client (#private works)', series: '-', expected: 'true', got: String(prefixOk), pass: prefixOk });
checks.push({ what: 'original error rethrown untouched', series: '-', expected: 'true', got: String(sameError), pass: sameError });
// Identifiers are searched in everything but sample values (a latency sum such as 0.0048213 may
// contain any digits by chance): metric names, label names and values, HELP and TYPE lines.
const labelText = text.split('\n').map((l) => (l.startsWith('#') ? l : l.replace(/ [^ ]+$/, ''))).join('\n');
for (const [what, needle] of [['patient id', PATIENT_ID], ['SSN', SSN], ['SSN digits', '123456789'], ['name from body', 'Jane'], ['API key', API_KEY], ['error message', 'invalid SSN']]) {
  const found = labelText.includes(needle);
  checks.push({ what: `no ${what} anywhere in /metrics`, series: '-', expected: 'absent', got: found ? 'FOUND' : 'absent', pass: !found });
}

const w = (k) => Math.max(...checks.map((c) => c[k].length), k.length);
const row = (c) => `${c.pass ? 'PASS' : 'FAIL'}  ${c.what.padEnd(w('what'))}  ${c.expected.padStart(8)}  ${c.got.padStart(8)}  ${c.series}`;
console.log(`metrics: ${telemetry.url}\n`);
console.log(`      ${'check'.padEnd(w('what'))}  ${'expected'.padStart(8)}  ${'got'.padStart(8)}  series`);
for (const c of checks) console.log(row(c));
const failed = checks.filter((c) => !c.pass).length;
console.log(`\n${failed === 0 ? 'PASS' : 'FAIL'}: ${checks.length - failed}/${checks.length} checks`);

sync.close();
await telemetry.shutdown();
await new Promise((r) => partner.close(r));
process.exitCode = failed === 0 ? 0 : 1;
