/**
 * A worker's Redis client sends the commands of one event-loop tick in one
 * socket write (#14: a syscall per command was about a sixth of a turn's
 * CPU), without changing what the commands do or their order.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { countSocketWrites, TEST_REDIS_URL } from '@medcita/testkit';
import type { Redis } from 'ioredis';
import { connectRedis } from '../../src/index.js';

describe('coalesceWrites', () => {
  let redis: Redis;
  const key = `test:coalesce:${randomUUID()}`;
  beforeEach(async () => {
    redis = connectRedis({ REDIS_URL: TEST_REDIS_URL }, { role: 'blocking', coalesceWrites: true }) as Redis;
    await once(redis, 'ready');
  });
  afterEach(async () => {
    await redis.del(key);
    redis.disconnect();
  });

  it('sends the commands of one tick in one write, each answered in order', async () => {
    const socket = countSocketWrites(redis);
    const replies = await Promise.all(Array.from({ length: 10 }, () => redis.incr(key)));
    expect(replies).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(socket.writes).toBe(1);
    // Awaited one by one, each command still leaves at once.
    await redis.incr(key);
    await redis.incr(key);
    expect(socket.writes).toBe(3);
  });

  it('keeps doing so on the socket of a reconnect', async () => {
    redis.disconnect(true);
    await once(redis, 'ready');
    const socket = countSocketWrites(redis);
    expect(await Promise.all([redis.incr(key), redis.incr(key), redis.get(key)])).toEqual([1, 2, '2']);
    expect(socket.writes).toBe(1);
  });
});
