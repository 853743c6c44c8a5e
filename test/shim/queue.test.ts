import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentQueue, NonRetryableError, startTelemetry, trackQueue, type Telemetry } from 'integration-sentinel';
import { sampleValue, scrape } from './partner-server.js';

let telemetry: Telemetry;
beforeAll(async () => { telemetry = await startTelemetry({ serviceName: 'queue-test', port: 0 }); });
afterAll(async () => { await telemetry.shutdown(); });

const events = (text: string, queue: string, event_type: string, outcome: string) =>
  sampleValue(text, 'integration_queue_events_total', { queue, event_type, outcome });

interface PatientEvent { type: string; patientId: string; n: number }

describe('instrumentQueue', () => {
  it('processes each resource in order, retries retryable failures and counts every step', async () => {
    const seen: string[] = [];
    let flaky = 2; // the first two attempts at patient p1's first event fail
    const q = instrumentQueue<PatientEvent>('elation-sync', async (e) => {
      if (e.patientId === 'p1' && e.n === 1 && flaky-- > 0) throw new Error('partner busy');
      seen.push(`${e.patientId}:${e.n}`);
    }, { eventType: (e) => e.type, resourceKey: (e) => e.patientId, backoffMs: () => 5 });
    q.push({ type: 'patient.updated', patientId: 'p1', n: 1 });
    q.push({ type: 'patient.updated', patientId: 'p1', n: 2 });
    q.push({ type: 'appointment.created', patientId: 'p2', n: 1 });
    await q.drain();
    // p2 was not held up by p1's retries; p1's events kept their order
    expect(seen).toEqual(['p2:1', 'p1:1', 'p1:2']);
    const text = await scrape(telemetry.url!);
    expect(events(text, 'elation-sync', 'patient.updated', 'enqueued')).toBe(2);
    expect(events(text, 'elation-sync', 'patient.updated', 'retried')).toBe(2);
    expect(events(text, 'elation-sync', 'patient.updated', 'processed')).toBe(2);
    expect(events(text, 'elation-sync', 'appointment.created', 'processed')).toBe(1);
    expect(sampleValue(text, 'integration_queue_pending_events', { queue: 'elation-sync' })).toBe(0);
    expect(text).not.toMatch(/p1|p2/);
    q.close();
  });

  it('gives up after 5 retries, and at once on a non-retryable failure', async () => {
    let attempts = 0;
    const q = instrumentQueue<PatientEvent>('doomed', async (e) => {
      attempts++;
      if (e.n === 1) throw new Error('still down');
      throw new NonRetryableError('expired credentials');
    }, { eventType: (e) => e.type, resourceKey: (e) => e.patientId, backoffMs: () => 1 });
    q.push({ type: 'sync', patientId: 'a', n: 1 });
    q.push({ type: 'sync', patientId: 'b', n: 2 });
    await q.drain();
    expect(attempts).toBe(6 + 1);
    const text = await scrape(telemetry.url!);
    expect(events(text, 'doomed', 'sync', 'retried')).toBe(5);
    expect(events(text, 'doomed', 'sync', 'failed')).toBe(2);
    expect(events(text, 'doomed', 'sync', 'processed')).toBeUndefined();
    q.close();
  });

  it('does not retry a partner 4xx other than 408 and 429', async () => {
    let attempts = 0;
    const q = instrumentQueue('forbidden', async () => { attempts++; throw Object.assign(new Error('no'), { status: 403 }); }, { backoffMs: () => 1 });
    q.push({});
    await q.drain();
    expect(attempts).toBe(1);
    q.close();
  });
});

describe('trackQueue', () => {
  it('reports pending events and the age of the oldest one, on the clock it is given', async () => {
    let now = 1_000_000;
    const t = trackQueue('backlog', { now: () => now });
    const first = t.enqueued('lab.result');
    now += 30_000;
    t.enqueued('lab.result');
    now += 60_000;
    let text = await scrape(telemetry.url!);
    expect(sampleValue(text, 'integration_queue_pending_events', { queue: 'backlog' })).toBe(2);
    expect(sampleValue(text, 'integration_queue_oldest_pending_age_seconds', { queue: 'backlog' })).toBe(90);
    t.processed(first);
    text = await scrape(telemetry.url!);
    expect(sampleValue(text, 'integration_queue_oldest_pending_age_seconds', { queue: 'backlog' })).toBe(60);
    t.close();
    text = await scrape(telemetry.url!);
    expect(sampleValue(text, 'integration_queue_pending_events', { queue: 'backlog' })).toBe(0);
    expect(sampleValue(text, 'integration_queue_oldest_pending_age_seconds', { queue: 'backlog' })).toBe(0);
  });

  it('adds two trackers of the same queue into the same counters', async () => {
    const a = trackQueue('twice');
    const b = trackQueue('twice');
    a.processed(a.enqueued('x'));
    b.enqueued('x');
    const text = await scrape(telemetry.url!);
    expect(text.split('\n').filter((l) => l.startsWith('integration_queue_events_total{queue="twice",event_type="x",outcome="enqueued"}'))).toEqual([
      'integration_queue_events_total{queue="twice",event_type="x",outcome="enqueued"} 2',
    ]);
    expect(sampleValue(text, 'integration_queue_pending_events', { queue: 'twice' })).toBe(1); // the latest tracker's gauges
  });

  it('bounds event types: a type that is not a plain name becomes other', async () => {
    const t = trackQueue('typed');
    t.enqueued('patient 123-45-6789');
    const text = await scrape(telemetry.url!);
    expect(events(text, 'typed', 'other', 'enqueued')).toBe(1);
    expect(text).not.toContain('123-45-6789');
    t.close();
  });
});
