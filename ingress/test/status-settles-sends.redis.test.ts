/**
 * A reply whose worker died before reading the Graph API's answer is settled
 * by WhatsApp's status webhook: the status echoes our idempotency key in
 * biz_opaque_callback_data, and the ingress marks that send done so a
 * retried turn does not send it again.
 */
import { randomUUID } from 'node:crypto';
import { createLogger, sendMarkerKey } from '@medcita/shared';
import { simUser, statusUpdate, webhookBody, WebhookSender } from '@medcita/testkit/simulator';
import { loadIngressConfig } from '../src/config.js';
import { startIngress, type RunningIngress } from '../src/ingress.js';
import { TEST_REDIS_URL, testRedis } from '@medcita/testkit';

const SECRET = 'status-test-secret';
const PN = '106540352242922';

describe('status webhooks settling sends', () => {
  const redis = testRedis();
  const keyPrefix = `test-${randomUUID()}`;
  let ingress: RunningIngress;
  let sender: WebhookSender;

  beforeAll(async () => {
    ingress = await startIngress(
      loadIngressConfig({
        REDIS_URL: TEST_REDIS_URL,
        PORT: '0',
        ADMIN_PORT: '0',
        WHATSAPP_APP_SECRET: SECRET,
        WHATSAPP_VERIFY_TOKEN: 'v',
        KEY_PREFIX: keyPrefix,
        QUEUE_PREFIX: `{test-${randomUUID()}}`,
      }),
      createLogger({ level: 'silent', service: 'ingress' }),
    );
    sender = new WebhookSender({ url: `http://127.0.0.1:${ingress.port}/webhook`, appSecret: SECRET });
  });
  afterAll(async () => {
    await ingress.close();
    const keys = await redis.keys(`${keyPrefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('marks an unsettled send done with the wamid from the status', async () => {
    const marker = sendMarkerKey(keyPrefix, PN, 'wamid.IN1:0');
    await redis.hset(marker, 'state', 'sending', 'owner', 'a-dead-worker', 'sendingAt', Date.now());
    await redis.pexpire(marker, 3_600_000);
    const res = await sender.post(webhookBody([statusUpdate(simUser(1), 'wamid.OUT1', 'sent', { callbackData: 'wamid.IN1:0' })]));
    expect(res.status).toBe(200);
    // Only what a later claim reads is kept (the message id, as a string), and the marker still expires.
    expect(await redis.get(marker)).toBe('wamid.OUT1');
    expect(await redis.pttl(marker)).toBeGreaterThan(0);
  });

  it('leaves a send its worker already recorded as it was, in either layout', async () => {
    const marker = sendMarkerKey(keyPrefix, PN, 'wamid.IN2:0');
    await redis.set(marker, 'wamid.OUT2', 'PX', 3_600_000);
    await sender.post(webhookBody([statusUpdate(simUser(2), 'wamid.OUT2', 'delivered', { callbackData: 'wamid.IN2:0' })]));
    expect(await redis.get(marker)).toBe('wamid.OUT2');
    // A done marker written by a worker of the version before (a hash) is read, not rewritten.
    const before = sendMarkerKey(keyPrefix, PN, 'wamid.IN5:0');
    await redis.hset(before, 'state', 'done', 'messageId', 'wamid.OUT5');
    await sender.post(webhookBody([statusUpdate(simUser(2), 'wamid.OUT5', 'delivered', { callbackData: 'wamid.IN5:0' })]));
    expect(await redis.hgetall(before)).toEqual({ state: 'done', messageId: 'wamid.OUT5' });
  });

  it('writes nothing for statuses of messages nobody is waiting on', async () => {
    await sender.post(
      webhookBody([
        statusUpdate(simUser(3), 'wamid.OUT3', 'read', { callbackData: 'wamid.IN3:0' }),
        statusUpdate(simUser(3), 'wamid.OUT4', 'sent'),
      ]),
    );
    expect(await redis.exists(sendMarkerKey(keyPrefix, PN, 'wamid.IN3:0'))).toBe(0);
  });
});
