/**
 * The ingress's answer to every kind of bad input (invariants 1 and 6 of
 * docs/product.md), and what it leaves in Redis: nothing, unless a real
 * message came in.
 */
import { createLogger, seenBucketKey, wamidDigest } from '@medcita/shared';
import { accountUpdateBody, content, inbound, simUser, statusUpdate, webhookBody, WebhookSender } from '@medcita/testkit/simulator';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { loadIngressConfig } from '../src/config.js';
import { startIngress, type RunningIngress } from '../src/ingress.js';
import { TEST_REDIS_URL, testRedis } from '@medcita/testkit';

const SECRET = 'input-test-secret';

describe('POST /webhook input handling', () => {
  let ingress: RunningIngress;
  let redis: Redis;
  let sender: WebhookSender;
  let url: string;
  const keyPrefix = `test-${randomUUID()}`;
  const queuePrefix = `{test-${randomUUID()}}`;
  const outcomes: string[] = [];

  const keysWritten = async () => [
    ...(await redis.keys(`${keyPrefix}:*`)),
    ...(await redis.keys(`${queuePrefix}:*`)).filter((k) => !k.endsWith(':meta') && !k.endsWith(':events')),
  ];

  beforeAll(async () => {
    redis = testRedis();
    const config = loadIngressConfig({
      REDIS_URL: TEST_REDIS_URL,
      PORT: '0',
      ADMIN_PORT: '0',
      WHATSAPP_APP_SECRET: SECRET,
      WHATSAPP_VERIFY_TOKEN: 'verify-me',
      KEY_PREFIX: keyPrefix,
      QUEUE_PREFIX: queuePrefix,
      WEBHOOK_BODY_LIMIT_BYTES: '4096',
    });
    ingress = await startIngress(config, createLogger({ level: 'silent', service: 'test' }), (o) => outcomes.push(o));
    url = `http://127.0.0.1:${ingress.port}`;
    sender = new WebhookSender({ url: `${url}/webhook`, appSecret: SECRET });
  });

  afterAll(async () => {
    await ingress.queue.obliterate({ force: true });
    await ingress.close();
    const keys = await redis.keys(`${keyPrefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  const aMessage = () => webhookBody([inbound(simUser(7), content.text('hola'))]);

  it.each([
    ['a missing signature', 401, 'bad_signature', () => sender.post(aMessage(), { signature: 'missing' })],
    ['a signature made with another secret', 401, 'bad_signature', () => sender.post(aMessage(), { signature: 'bad' })],
    // Signed, so from Meta: a 4xx would be retried for days; it is taken and counted instead.
    ['malformed JSON', 200, 'unparseable', () => sender.post('{"object": "whatsapp_business_account", "entry": [')],
    ['JSON that is not a WhatsApp webhook', 200, 'unparseable', () => sender.post('{"hello": "world"}')],
    ['a body over the size limit', 413, 'too_large', () => sender.post(JSON.stringify({ ...aMessage(), pad: 'x'.repeat(5000) }))],
  ] as const)('answers %s with %i (%s) and records nothing', async (_what, status, outcome, send) => {
    outcomes.length = 0;
    const res = await send();
    expect(res.status).toBe(status);
    expect(outcomes).toEqual([outcome]);
    expect(await keysWritten()).toEqual([]);
  });

  // Found by `npm run fuzz` (tools/fuzz/corpus/crash-965ead8acb4c.json): the failed status was written with an
  // object for its number, Redis refused the command, and the delivery was answered 503, so Meta would resend it forever.
  it('takes a delivery whose phone_number_id is not a string with 200, skipping its messages and statuses', async () => {
    const body = webhookBody([
      inbound(simUser(10), content.text('hola')),
      statusUpdate({ waId: '59170000010' }, 'wamid.out', 'failed', { errorCode: 131047 }),
    ]);
    for (const entry of body.entry!)
      (entry.changes![0]!.value!.metadata as unknown as Record<string, unknown>).phone_number_id = { a: ['x'] };
    outcomes.length = 0;
    expect((await sender.post(body)).status).toBe(200);
    expect(outcomes).toEqual(['accepted']);
    expect(await keysWritten()).toEqual([]);
  });

  it('accepts an empty messages array and a non-message field with 200 and records nothing', async () => {
    const empty = webhookBody([inbound(simUser(8), content.text('x'))]);
    (empty.entry![0]!.changes![0]!.value as { messages: unknown[] }).messages = [];
    expect((await sender.post(empty)).status).toBe(200);
    expect((await sender.post(accountUpdateBody())).status).toBe(200);
    expect(await keysWritten()).toEqual([]);
  });

  it('accepts an unknown message type and queues it for a polite reply', async () => {
    const user = simUser(9);
    const body = webhookBody([inbound(user, { type: 'hologram', hologram: { id: 'h1' } })]);
    expect((await sender.post(body)).status).toBe(200);
    const inbox = await redis.lrange(`${keyPrefix}:{106540352242922:${user.waId}}:inbox`, 0, -1);
    expect(inbox).toHaveLength(1);
    expect(JSON.parse(inbox[0]!).message).toMatchObject({ kind: 'unknown', rawType: 'hologram' });
    expect(await ingress.queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
  });

  it('absorbs a redelivered message: one inbox entry, still one job', async () => {
    const user = simUser(10);
    const body = webhookBody([inbound(user, content.text('dos veces'))]);
    expect((await sender.post(body)).status).toBe(200);
    expect((await sender.post(body)).status).toBe(200);
    expect(await redis.llen(`${keyPrefix}:{106540352242922:${user.waId}}:inbox`)).toBe(1);
    // The wamid's digest sits in the shared bucket of the session's slot.
    const period = Math.ceil((7 * 24 * 3600) / 7);
    const n = Math.floor(Date.now() / 1000 / period);
    const [queued] = await redis.lrange(`${keyPrefix}:{106540352242922:${user.waId}}:inbox`, 0, 0);
    const digest = wamidDigest(JSON.parse(queued!).message.wamid);
    // The current period, or the one before when the test straddles midnight UTC.
    let bucket = seenBucketKey(keyPrefix, `106540352242922:${user.waId}`, n);
    if (!(await redis.sismember(bucket, digest))) bucket = seenBucketKey(keyPrefix, `106540352242922:${user.waId}`, n - 1);
    expect(await redis.sismember(bucket, digest)).toBe(1);
    expect(await redis.ttl(bucket)).toBeGreaterThan(7 * 24 * 3600 - 60);
  });

  it('verifies the subscription only with the right token', async () => {
    expect(await sender.verifySubscription('verify-me', 'challenge-123')).toEqual({ status: 200, body: 'challenge-123' });
    expect((await sender.verifySubscription('wrong', 'challenge-123')).status).toBe(403);
  });

  it('reports health and readiness', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });
});
