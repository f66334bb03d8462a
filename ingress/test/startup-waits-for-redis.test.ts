/**
 * A pod that starts a moment before Redis (both restarted together, or Redis
 * failing over) must not answer its first deliveries 503: it waits for Redis
 * before listening.
 */
import { content, inbound, simUser, webhookBody, WebhookSender } from '@medcita/testkit/simulator';
import { startRedisServer, type RedisServerHandle } from '@medcita/testkit';
import type { RunningIngress } from '../src/ingress.js';
import { startQuietIngress, testIngressConfig } from './test-ingress.js';

const SECRET = 'startup-test-secret';

describe('ingress start-up while Redis is still coming up', () => {
  let server: RedisServerHandle;
  let ingress: RunningIngress | undefined;

  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await ingress?.close();
    await server.stop();
  });

  it('waits for Redis, so the first delivery after start is accepted rather than 503', async () => {
    await server.kill();
    const starting = startQuietIngress(testIngressConfig(server.url, SECRET));
    let started = false;
    void starting.then(() => (started = true));

    await new Promise((r) => setTimeout(r, 500));
    expect(started).toBe(false); // not listening while Redis is away
    await server.restart();
    ingress = await starting;

    const sender = new WebhookSender({ url: `http://127.0.0.1:${ingress.port}/webhook`, appSecret: SECRET });
    const res = await sender.post(webhookBody([inbound(simUser(11), content.text('hola'))]));
    expect(res.status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${ingress.port}/readyz`)).status).toBe(200);
  });
});
