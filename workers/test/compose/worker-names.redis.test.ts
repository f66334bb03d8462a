/**
 * The operator-replies, identity-alerts and owed-cancels workers register under their
 * process's name, as the turns and reminders workers do
 * (e2e/test/bull-board-metrics.test.ts): Bull Board then says which process
 * holds each connection. No job runs here, so their ports are left empty.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { QueueName, type HandoffStore, type TranscriptStore } from '@medcita/shared';
import { captureLogger, TEST_REDIS_URL, waitUntil } from '@medcita/testkit';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startOperatorReplies } from '../../src/handoff/index.js';
import { startOwnerAlerts } from '../../src/identity-alert/index.js';
import { startOwedCancels } from '../../src/owed-cancels/index.js';
import type { ClinicPort } from '../../src/clinic/index.js';
import type { ReplySender } from '../../src/pipeline/ports.js';
import { deleteKeys } from '../clinic/clinic-test-kit.js';

describe('worker names', () => {
  // A BullMQ worker's connection must retry forever, as connectRedis's does.
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const queuePrefix = `{test-names-${randomUUID()}}`;
  const { logger } = captureLogger({ service: 'worker' });
  const sender = {} as ReplySender;
  const timing = { stalledIntervalMs: 30_000, lockDurationMs: 30_000 };

  afterAll(async () => {
    await deleteKeys(redis, queuePrefix);
    redis.disconnect();
  });

  /** The raw client names of the queue's workers, once one has connected. */
  const workerNames = async (name: string): Promise<string[]> => {
    const queue = new Queue(name, { connection: redis, prefix: queuePrefix });
    try {
      let names: string[] = [];
      await waitUntil(
        async () => (names = (await queue.getWorkers()).map((w) => w.rawname as string)).length > 0,
        10_000,
        `a ${name} worker`,
      );
      return names;
    } finally {
      await queue.close();
    }
  };
  const named = (queue: string) => `${queuePrefix}:${Buffer.from(queue).toString('base64')}:w:${hostname()}:${process.pid}`;

  it('names the operator-replies worker after its process', async () => {
    const running = startOperatorReplies({
      redis,
      keyPrefix: `test:{names-${randomUUID()}}`,
      queuePrefix,
      sender,
      store: {} as HandoffStore,
      transcripts: {} as TranscriptStore,
      logger,
      timeoutText: 'x',
      ...timing,
    });
    try {
      expect(await workerNames(QueueName.OperatorReplies)).toEqual([named(QueueName.OperatorReplies)]);
    } finally {
      await running.close();
    }
  });

  it('names the identity-alerts worker after its process', async () => {
    const running = startOwnerAlerts({ redis, queuePrefix, sender, logger, templateName: 't', templateLanguage: 'es', ...timing });
    try {
      expect(await workerNames(QueueName.IdentityAlerts)).toEqual([named(QueueName.IdentityAlerts)]);
    } finally {
      await running.close();
    }
  });

  it('names the owed-cancels worker after its process', async () => {
    const running = startOwedCancels({ redis, queuePrefix, clinic: {} as ClinicPort, logger, firstRetryMs: 60_000, ...timing });
    try {
      expect(await workerNames(QueueName.OwedCancels)).toEqual([named(QueueName.OwedCancels)]);
    } finally {
      await running.close();
    }
  });
});
