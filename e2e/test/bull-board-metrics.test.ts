/**
 * Bull Board shows each queue's throughput: the workers record BullMQ's
 * completed/failed per-minute metrics, and the board's metrics API returns
 * them for turns that went through the real pipeline (webhook → ingress →
 * worker → fake Graph API) and for reminder ticks; it lists each queue's
 * workers by the name of their process.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { JobName, QueueName } from '@medcita/shared';
import { captureLogger, TEST_REDIS_URL, waitUntil } from '@medcita/testkit';
import { content, FakeGraphApi, inbound, simUser, webhookBody, WebhookSender } from '@medcita/testkit/simulator';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadIngressConfig } from '../../ingress/src/config.js';
import { startIngress, type RunningIngress } from '../../ingress/src/ingress.js';
import { composeWorker, type RunningWorker } from '../../workers/src/compose-worker.js';
import { loadWorkerConfig } from '../../workers/src/config.js';

const SECRET = 'metrics-test-secret';
const auth = { authorization: `Basic ${Buffer.from('ops:metrics-test').toString('base64')}` };

interface BoardMetrics {
  completed: { meta: { count: number } } | null;
  failed: { meta: { count: number } } | null;
}

describe('Bull Board throughput', () => {
  const keyPrefix = `test-metrics-${randomUUID()}`;
  const queuePrefix = `{test-metrics-${randomUUID()}}`;
  const redis = new Redis(TEST_REDIS_URL);
  let graph: FakeGraphApi;
  let ingress: RunningIngress;
  let worker: RunningWorker;

  beforeAll(async () => {
    graph = await FakeGraphApi.start({ accessToken: 'graph-token' });
    const common = { REDIS_URL: TEST_REDIS_URL, KEY_PREFIX: keyPrefix, QUEUE_PREFIX: queuePrefix };
    ingress = await startIngress(
      loadIngressConfig({
        ...common,
        PORT: '0',
        ADMIN_PORT: '0',
        WHATSAPP_APP_SECRET: SECRET,
        WHATSAPP_VERIFY_TOKEN: 'v',
        ADMIN_USER: 'ops',
        ADMIN_PASSWORD: 'metrics-test',
      }),
      captureLogger({ service: 'ingress' }).logger,
    );
    worker = await composeWorker(
      loadWorkerConfig({
        ...common,
        METRICS_PORT: '0',
        WHATSAPP_ACCESS_TOKEN: 'graph-token',
        GRAPH_API_URL: graph.url,
        TURN_HANDLER: 'echo',
        REMINDERS_ENABLED: 'true',
        REMINDER_PHONE_NUMBER_ID: '106540352242922',
        REMINDER_INTERVAL_SECONDS: '3600',
      }),
      captureLogger({ service: 'worker' }).logger,
    );
  });

  afterAll(async () => {
    await worker?.close();
    await ingress?.close();
    await graph?.close();
    const keys = [...(await redis.keys(`${keyPrefix}*`)), ...(await redis.keys(`${queuePrefix}*`))];
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  const boardMetrics = async (queue: string): Promise<BoardMetrics> => {
    const res = await fetch(`http://127.0.0.1:${ingress.adminPort}/admin/queues/api/queues/${queue}/metrics`, { headers: auth });
    expect(res.status).toBe(200);
    return (await res.json()) as BoardMetrics;
  };

  it('counts the turns completed per minute, and the board shows them', async () => {
    const sender = new WebhookSender({ url: `http://127.0.0.1:${ingress.port}/webhook`, appSecret: SECRET });
    for (let i = 1; i <= 3; i++)
      expect((await sender.post(webhookBody([inbound(simUser(i), content.text(`hola ${i}`))]))).status).toBe(200);
    await graph.waitForSent(3, 60_000);

    let metrics: BoardMetrics | undefined;
    await waitUntil(
      async () => ((metrics = await boardMetrics(QueueName.Turns)).completed?.meta.count ?? 0) >= 3,
      30_000,
      'three completed turns in the metrics',
    );
    // BullMQ writes a minute's count as a data point once the next minute's first job finishes; the total counts at once.
    expect(metrics!.failed?.meta.count ?? 0).toBe(0);
  });

  it('the board is configured to chart them', async () => {
    const res = await fetch(`http://127.0.0.1:${ingress.adminPort}/admin/queues`, { headers: auth });
    expect(res.status).toBe(200);
    expect((await res.text()).replace(/&quot;/g, '"')).toContain('"showMetrics":true');
  });

  // With the echo handler the worker runs these two; workers/test/compose/worker-names covers the other two.
  it("lists each queue's worker by its process name, not only its ip:port", async () => {
    const expected = `${hostname()}:${process.pid}`;
    for (const name of [QueueName.Turns, QueueName.Reminders]) {
      const queue = new Queue(name, { connection: redis, prefix: queuePrefix });
      try {
        const raw = (await queue.getWorkers()).map((w) => w.rawname);
        expect(raw).toContain(`${queuePrefix}:${Buffer.from(name).toString('base64')}:w:${expected}`);
      } finally {
        await queue.close();
      }
    }
    const res = await fetch(`http://127.0.0.1:${ingress.adminPort}/admin/queues/api/queues/${QueueName.Turns}/workers`, { headers: auth });
    expect(res.status).toBe(200);
    const { workers } = (await res.json()) as { workers: { name: string | null }[] };
    expect(workers.map((w) => w.name)).toEqual([expected]);
  });

  it('counts reminder ticks on the reminders queue', async () => {
    const reminders = new Queue(QueueName.Reminders, { connection: redis, prefix: queuePrefix });
    try {
      const before = (await reminders.getMetrics('completed')).meta.count;
      const job = await reminders.add(JobName.ReminderTick, {});
      await waitUntil(async () => (await job.getState()) === 'completed', 30_000, 'the reminder tick to complete');
      await waitUntil(async () => (await reminders.getMetrics('completed')).meta.count > before, 10_000, 'the tick in the metrics');
      expect((await boardMetrics(QueueName.Reminders)).completed?.meta.count).toBeGreaterThan(before);
    } finally {
      await reminders.close();
    }
  });
});
