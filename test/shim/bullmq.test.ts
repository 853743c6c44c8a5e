// trackBrokerQueue around BullMQ on a real Redis (Debian's redis-server, started once for this
// file): the pending count and the oldest job's age are the broker's, so they stay true across a
// restart (jobs still waiting in Redis) and in a producer-only process after a remote worker (a
// separate Node process) finished every job: no false queue_backlog page, no missed one.
import { spawn } from 'node:child_process';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetShimRegistry, startTelemetry, trackBrokerQueue, type BrokerReading, type Telemetry } from 'integration-sentinel/shim';
import { ROOT } from '../demo/ensure-dist.js';
import { sampleValue, scrape } from './partner-server.js';
import { hasRedis, REDIS_MISSING, startRedis, type Redis } from './support/redis.js';

const available = hasRedis();
if (!available) console.warn(REDIS_MISSING);

let redis: Redis;
let telemetry: Telemetry;
beforeAll(async () => {
  if (!available) return;
  redis = await startRedis();
  telemetry = await startTelemetry({ serviceName: 'bullmq-test', port: 0 });
}, 60_000);
afterAll(async () => {
  await telemetry?.shutdown();
  await redis?.stop();
});

/** The recipe of docs/shim.md: BullMQ's own counts, and the oldest waiting job's timestamp. */
export function bullmqReading(queue: Queue): () => Promise<BrokerReading> {
  return async () => {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    const pending = Object.values(counts).reduce((a, b) => a + b, 0);
    const oldest = await Promise.all((['wait', 'prioritized', 'delayed', 'active'] as const).map((t) => queue.getJobs([t], 0, 0, true)));
    const stamps = oldest.flat().map((j) => j.timestamp).filter((t): t is number => typeof t === 'number');
    return { pending, oldestEnqueuedAt: stamps.length ? Math.min(...stamps) : undefined };
  };
}

/** A worker in another process, as a remote worker would be: processes every job, then exits. */
function remoteWorker(queue: string, jobs: number): Promise<number | null> {
  const script = `
    import { Worker } from 'bullmq';
    let done = 0;
    const worker = new Worker(${JSON.stringify(queue)}, async () => 'synced', { connection: { host: '127.0.0.1', port: ${redis.port}, maxRetriesPerRequest: null } });
    worker.on('completed', async () => { if (++done === ${jobs}) { await worker.close(); process.exit(0); } });
    setTimeout(() => process.exit(2), 20000);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, stdio: 'inherit' });
  return new Promise((resolve) => child.once('exit', resolve));
}

describe.skipIf(!available)('trackBrokerQueue with BullMQ on a real Redis', () => {
  it('reports the jobs still waiting in Redis after a restart, with their real age', async () => {
    const connection = { host: redis.host, port: redis.port };
    const before = new Queue('intake-sync', { connection });
    for (let i = 0; i < 5; i++) await before.add('patient.updated', { patient: i });
    await before.close();
    await new Promise((r) => setTimeout(r, 1100));

    // "Restart": nothing of the first process's in-memory state is left.
    resetShimRegistry();
    const fresh = await startTelemetry({ serviceName: 'bullmq-restarted', port: 0 });
    const queue = new Queue('intake-sync', { connection });
    const tracker = trackBrokerQueue('intake-sync', { read: bullmqReading(queue) });
    try {
      const text = await scrape(fresh.url!);
      expect(sampleValue(text, 'integration_queue_pending_events', { queue: 'intake-sync' })).toBe(5);
      expect(sampleValue(text, 'integration_queue_oldest_pending_age_seconds', { queue: 'intake-sync' })).toBeGreaterThanOrEqual(1);
    } finally {
      tracker.close();
      await queue.obliterate({ force: true });
      await queue.close();
      await fresh.shutdown();
    }
  });

  it('shows a producer-only process the backlog a remote worker left: none once it finished every job', async () => {
    const queue = new Queue('referral-sync', { connection: { host: redis.host, port: redis.port } });
    const tracker = trackBrokerQueue('referral-sync', { read: bullmqReading(queue) });
    try {
      // telemetry was started before the restart test's reset: start one for this queue's series
      const own = await startTelemetry({ serviceName: 'bullmq-producer', port: 0 });
      try {
        for (let i = 0; i < 20; i++) {
          await queue.add('patient.updated', { patient: i });
          tracker.count('enqueued', 'patient.updated');
        }
        let text = await scrape(own.url!);
        expect(sampleValue(text, 'integration_queue_pending_events', { queue: 'referral-sync' })).toBe(20);
        expect(sampleValue(text, 'integration_queue_events_total', { queue: 'referral-sync', event_type: 'patient.updated', outcome: 'enqueued' })).toBe(20);

        expect(await remoteWorker('referral-sync', 20)).toBe(0);
        text = await scrape(own.url!);
        expect(sampleValue(text, 'integration_queue_pending_events', { queue: 'referral-sync' })).toBe(0);
        expect(sampleValue(text, 'integration_queue_oldest_pending_age_seconds', { queue: 'referral-sync' })).toBe(0);
      } finally {
        await own.shutdown();
      }
    } finally {
      tracker.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  }, 30_000);

  it('leaves the gauges without a sample when the broker cannot answer, instead of a made-up 0', async () => {
    const own = await startTelemetry({ serviceName: 'bullmq-down', port: 0 });
    const tracker = trackBrokerQueue('down-sync', { read: async () => { throw new Error('connect ECONNREFUSED'); } });
    try {
      const text = await scrape(own.url!);
      expect(sampleValue(text, 'integration_queue_pending_events', { queue: 'down-sync' })).toBeUndefined();
    } finally {
      tracker.close();
      await own.shutdown();
    }
  });
});
