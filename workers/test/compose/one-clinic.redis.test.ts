import { randomUUID } from 'node:crypto';
import { JobName, QueueName } from '@medcita/shared';
import { captureLogger, TEST_REDIS_URL, waitUntil } from '@medcita/testkit';
import { createContractServer, type ContractServer } from '@medcita/testkit/clinic';
import { FakeGraphApi } from '@medcita/testkit/simulator';
import { Queue } from 'bullmq';
import { BuiltinClinic, ClinicUnavailableError } from '../../src/clinic/index.js';
import { composeWorker, type RunningWorker } from '../../src/compose-worker.js';
import { loadWorkerConfig } from '../../src/config.js';
import { connectTestRedis, deleteKeys, testSeed, uniquePrefix } from '../clinic/clinic-test-kit.js';

const TOKEN = 'clinic-token';

/** The gauge's value for one state, as /metrics shows it. */
async function breakerGauge(running: RunningWorker, state: string): Promise<number | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${running.opsPort}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`medcita_clinic_breaker_state{state="${state}"}`));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

describe('a worker with the http clinic and reminders', () => {
  const redis = connectTestRedis();
  const clinicPrefix = uniquePrefix();
  const keyPrefix = `test:{compose-${randomUUID()}}`;
  const queuePrefix = `{test-compose-${randomUUID()}}`;
  let server: ContractServer;
  let graph: FakeGraphApi;
  let running: RunningWorker;

  beforeAll(async () => {
    server = createContractServer(new BuiltinClinic({ redis, seed: testSeed(0), keyPrefix: clinicPrefix, timeZone: 'America/La_Paz' }), {
      token: TOKEN,
    });
    const clinicUrl = await server.listen();
    graph = await FakeGraphApi.start({ accessToken: 'graph-token' });
    const config = loadWorkerConfig({
      REDIS_URL: TEST_REDIS_URL,
      KEY_PREFIX: keyPrefix,
      QUEUE_PREFIX: queuePrefix,
      METRICS_PORT: '0',
      WHATSAPP_ACCESS_TOKEN: 'graph-token',
      GRAPH_API_URL: graph.url,
      TURN_HANDLER: 'echo',
      CLINIC_BACKEND: 'http',
      CLINIC_API_URL: clinicUrl,
      CLINIC_API_TOKEN: TOKEN,
      CLINIC_BREAKER_FAILURES: '1',
      REMINDERS_ENABLED: 'true',
      REMINDER_PHONE_NUMBER_ID: '106540352242922',
      REMINDER_INTERVAL_SECONDS: '3600',
    });
    running = await composeWorker(config, captureLogger({ service: 'worker' }).logger);
  });

  afterAll(async () => {
    await running?.close();
    await server?.close();
    await graph?.close();
    await Promise.all([deleteKeys(redis, clinicPrefix), deleteKeys(redis, keyPrefix), deleteKeys(redis, queuePrefix)]);
    redis.disconnect();
  });

  it('shows its one clinic breaker on /metrics: closed at start, open once a reminder tick found the clinic down', async () => {
    expect(await breakerGauge(running, 'closed')).toBe(1);
    expect(await breakerGauge(running, 'open')).toBe(0);

    server.setFault({ kind: 'status', status: 500 });
    const reminders = new Queue(QueueName.Reminders, { connection: redis, prefix: queuePrefix });
    await reminders.add(JobName.ReminderTick, {});
    await reminders.close();
    await waitUntil(async () => (await breakerGauge(running, 'open')) === 1, 30_000, 'the breaker gauge to show open');
    expect(await breakerGauge(running, 'closed')).toBe(0);

    // The dialog uses the same port: the breaker the reminders opened spares the sick clinic this call.
    const requestsBefore = server.requests.length;
    await expect(running.clinic!.listSpecialties()).rejects.toMatchObject({ constructor: ClinicUnavailableError, reason: 'circuit_open' });
    expect(server.requests.length).toBe(requestsBefore);
  });
});
