/**
 * The side queues' shared start-up (workers/src/processors/start-queue-worker.ts)
 * on real Redis and BullMQ: a job that fails for good is reported once, whether
 * it ran out of attempts or threw an error BullMQ never retries.
 */
import { randomUUID } from 'node:crypto';
import { QueueName } from '@medcita/shared';
import { captureLogger, TEST_REDIS_URL, waitUntil } from '@medcita/testkit';
import { UnrecoverableError } from 'bullmq';
import { Redis } from 'ioredis';
import { startQueueWorker } from '../../src/processors/start-queue-worker.js';
import { deleteKeys } from '../clinic/clinic-test-kit.js';

// A BullMQ worker's connection must retry forever, as connectRedis's does.
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
const queuePrefix = `{test-side-queue-${randomUUID()}}`;
afterAll(async () => {
  await deleteKeys(redis, queuePrefix);
  redis.disconnect();
});

describe('startQueueWorker', () => {
  it.each([
    ['runs out of attempts', () => new Error('clinic down'), 3],
    ['throws an error BullMQ never retries', () => new UnrecoverableError('bad request'), 1],
  ])('reports a job that %s as failed for good, once', async (_case, error, runs) => {
    const finals: string[] = [];
    let calls = 0;
    const running = startQueueWorker<{ n: number }>({
      name: QueueName.OwedCancels,
      redis,
      queuePrefix: `${queuePrefix}:${runs}`,
      logger: captureLogger({ service: 'worker' }).logger,
      processor: async () => {
        calls += 1;
        throw error();
      },
      concurrency: 1,
      stalledIntervalMs: 30_000,
      lockDurationMs: 30_000,
      onFinalFailure: (job, err) => finals.push(`${job.id}: ${err.message}`),
    });
    try {
      await running.queue.add('x', { n: 1 }, { jobId: 'j1', attempts: 3, backoff: { type: 'fixed', delay: 10 } });
      await waitUntil(() => finals.length > 0, 10_000, 'the final failure');
      await new Promise((r) => setTimeout(r, 200));
      expect(calls).toBe(runs);
      expect(finals).toEqual([`j1: ${error().message}`]);
    } finally {
      await running.close();
    }
  });
});
