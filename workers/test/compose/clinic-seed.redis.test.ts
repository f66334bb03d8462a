import { randomUUID } from 'node:crypto';
import { captureLogger, TEST_REDIS_URL } from '@medcita/testkit';
import { FakeGraphApi } from '@medcita/testkit/simulator';
import { clinicKeys } from '../../src/clinic/builtin/keys.js';
import { composeWorker, type RunningWorker } from '../../src/compose-worker.js';
import { loadWorkerConfig } from '../../src/config.js';
import { connectTestRedis, deleteKeys, uniquePrefix } from '../clinic/clinic-test-kit.js';

describe('a worker with the builtin clinic', () => {
  const redis = connectTestRedis();
  const clinicPrefix = uniquePrefix();
  const keyPrefix = `test:{compose-${randomUUID()}}`;
  const queuePrefix = `{test-compose-${randomUUID()}}`;
  let graph: FakeGraphApi;
  let running: RunningWorker | undefined;

  beforeAll(async () => {
    graph = await FakeGraphApi.start({ accessToken: 'graph-token' });
  });

  afterAll(async () => {
    await running?.close();
    await graph?.close();
    await Promise.all([deleteKeys(redis, clinicPrefix), deleteKeys(redis, keyPrefix), deleteKeys(redis, queuePrefix)]);
    redis.disconnect();
  });

  // Issue #14: the first turn of the day used to wait for ~1,650 writes.
  it('has its slot window seeded when it starts, before any patient writes', async () => {
    const config = loadWorkerConfig({
      REDIS_URL: TEST_REDIS_URL,
      KEY_PREFIX: keyPrefix,
      QUEUE_PREFIX: queuePrefix,
      METRICS_PORT: '0',
      WHATSAPP_ACCESS_TOKEN: 'graph-token',
      GRAPH_API_URL: graph.url,
      TURN_HANDLER: 'echo',
      CLINIC_BACKEND: 'builtin',
      CLINIC_KEY_PREFIX: clinicPrefix,
      REMINDERS_ENABLED: 'true',
      REMINDER_PHONE_NUMBER_ID: '106540352242922',
      REMINDER_INTERVAL_SECONDS: '3600',
    });
    running = await composeWorker(config, captureLogger({ service: 'worker' }).logger);
    expect(await redis.hlen(clinicKeys(clinicPrefix).slots)).toBeGreaterThan(0);
  });
});
