/**
 * Duplicate absorption in shared, time-bucketed sets of 8-byte digests
 * (docs/architecture.md, "Dedupe buckets"): what a redelivery finds, and
 * what a message costs in Redis.
 */
import { seenBucketKey, SessionInbox, sessionKeys, wamidDigest, type InboxEntry } from '@medcita/shared';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DAY = 86_400;
const TTL = 7 * DAY;

const entry = (wamid: string): InboxEntry => ({
  address: { phoneNumberId: '1', waId: '591700' },
  message: { kind: 'text', wamid, timestamp: 0, text: 'hola' } as InboxEntry['message'],
  acceptedAt: 0,
});

describe('dedupe buckets', () => {
  let redis: Redis;
  const prefix = `test-${randomUUID()}`;
  let inbox: SessionInbox;

  beforeAll(() => {
    redis = new Redis(REDIS_URL);
    inbox = new SessionInbox(redis, { keyPrefix: prefix, seenTtlSeconds: TTL });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('absorbs a redelivery anywhere within the seen TTL, across bucket boundaries, and only then forgets', async () => {
    const session = `1:${randomUUID()}`;
    const t0 = Date.now() + 30 * DAY * 1000;
    expect(await inbox.accept(session, entry('wamid.A'), t0)).toBe(true);
    for (const later of [0, 1, DAY, 3.5 * DAY, TTL - 1]) {
      expect(await inbox.accept(session, entry('wamid.A'), t0 + later * 1000)).toBe(false);
    }
    expect(await inbox.accept(session, entry('wamid.B'), t0 + DAY * 1000)).toBe(true);
    expect(await redis.llen(sessionKeys(prefix, session).inbox)).toBe(2);
    // Two seen TTLs later the digest is out of every bucket looked at: a wamid counts again.
    expect(await inbox.accept(session, entry('wamid.A'), t0 + 2 * TTL * 1000)).toBe(true);
  });

  it('keeps a digest at least the seen TTL, and gives the inbox a backstop TTL', async () => {
    const session = `1:${randomUUID()}`;
    const now = Date.now();
    await inbox.accept(session, entry('wamid.T'), now);
    const period = Math.ceil(TTL / 7);
    const bucket = seenBucketKey(prefix, session, Math.floor(now / 1000 / period));
    expect(await redis.sismember(bucket, wamidDigest('wamid.T'))).toBe(1);
    expect(await redis.ttl(bucket)).toBeGreaterThanOrEqual(TTL - 5);
    expect(await redis.ttl(bucket)).toBeLessThanOrEqual(TTL + period);
    const inboxTtl = await redis.ttl(sessionKeys(prefix, session).inbox);
    expect(inboxTtl).toBeGreaterThan(0);
    expect(inboxTtl).toBeLessThanOrEqual(TTL);
  });

  it('stores a message of a busy slot in about 8 bytes: sessions of one slot share a compact bucket', async () => {
    const now = Date.now();
    // What 400 sessions of one slot would write; one session is enough to fill the bucket.
    const session = `1:${randomUUID()}`;
    for (let i = 0; i < 400; i++) await inbox.accept(session, entry(`wamid.${randomUUID()}`), now);
    await redis.del(sessionKeys(prefix, session).inbox);
    const bucket = seenBucketKey(prefix, session, Math.floor(now / 1000 / Math.ceil(TTL / 7)));
    expect(await redis.object('ENCODING', bucket)).toBe('intset');
    const bytes = Number(await redis.memory('USAGE', bucket));
    expect(bytes / 400).toBeLessThan(12);
  });
});
