/**
 * docs/deploy.md, autoscaling: the KEDA trigger watches the list BullMQ really fills.
 * The real ingress, configured with the ConfigMap's QUEUE_PREFIX and
 * KEY_PREFIX, takes a webhook on a private redis-server; the job it enqueues
 * must sit in the list named by the ScaledObject, and that name must be the
 * queue's own wait key. Nothing is hard-coded here but the file paths.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createLogger, JobName, QueueName } from '@medcita/shared';
import { content, inbound, simUser, webhookBody, WebhookSender } from '@medcita/testkit/simulator';
import { type RedisServerHandle, REPO_ROOT, startRedisServer } from '@medcita/testkit';
import { Redis } from 'ioredis';
import YAML from 'yaml';
import { loadIngressConfig } from '../../ingress/src/config.js';
import { startIngress, type RunningIngress } from '../../ingress/src/ingress.js';

type Obj = Record<string, any>;
const manifest = (file: string): Obj => YAML.parse(readFileSync(path.join(REPO_ROOT, 'deploy/k8s/base', file), 'utf8')) as Obj;

describe('KEDA ScaledObject', () => {
  const configMap = manifest('configmap.yaml').data as Record<string, string>;
  const scaled = manifest('scaled-object.yaml');
  const trigger = (scaled.spec.triggers as Obj[]).find((t) => t.type === 'redis') as Obj;
  let redisServer: RedisServerHandle;
  let redis: Redis;
  let ingress: RunningIngress;

  beforeAll(async () => {
    redisServer = await startRedisServer();
    redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
    ingress = await startIngress(
      loadIngressConfig({
        REDIS_URL: redisServer.url,
        QUEUE_PREFIX: configMap.QUEUE_PREFIX,
        KEY_PREFIX: configMap.KEY_PREFIX,
        WHATSAPP_APP_SECRET: 'keda-test-secret',
        WHATSAPP_VERIFY_TOKEN: 'keda-test-token',
        PORT: '0',
        ADMIN_PORT: '0',
      }),
      createLogger({ level: 'silent', service: 'ingress' }),
    );
  });

  afterAll(async () => {
    await ingress?.close();
    redis?.disconnect();
    await redisServer?.stop();
  });

  it('scales the workers Deployment on the wait list of the queue the ingress fills', async () => {
    expect(scaled.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'workers' });
    expect(trigger).toBeDefined();
    expect(ingress.queue.name).toBe(QueueName.Turns);

    // The key BullMQ itself derives for the wait list of the running queue.
    expect(trigger.metadata.listName).toBe(ingress.queue.keys.wait);

    const sender = new WebhookSender({ url: `http://127.0.0.1:${ingress.port}/webhook`, appSecret: 'keda-test-secret' });
    const { status } = await sender.post(webhookBody([inbound(simUser(1), content.text('hola'))]));
    expect(status).toBe(200);

    // With no worker running, the job waits in exactly that list: what KEDA's LLEN sees.
    expect(await redis.llen(trigger.metadata.listName)).toBe(1);
    const [jobId] = await redis.lrange(trigger.metadata.listName, 0, -1);
    const job = await ingress.queue.getJob(jobId!);
    expect(job?.name).toBe(JobName.SessionTurn);
    expect(await ingress.queue.getWaitingCount()).toBe(1);
  });
});
