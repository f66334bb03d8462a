import { Redis, type RedisOptions } from 'ioredis';

/** The shared test Redis: `REDIS_URL` when set (CI, a private server), else the local default. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A client of the shared test Redis. Tests own their key prefixes on it and
 * never flush it. One retry per command by default, so a missing Redis fails
 * the test quickly; pass `{ maxRetriesPerRequest: null }` for BullMQ.
 */
export function testRedis(options: RedisOptions = {}): Redis {
  return new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1, ...options });
}
