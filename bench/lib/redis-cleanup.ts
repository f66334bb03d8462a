import type { Redis } from 'ioredis';

/**
 * Deletes every key matching `pattern` with SCAN + UNLINK, never FLUSHALL or
 * KEYS: the Redis may be shared with other people's work. Returns the count.
 */
export async function deleteKeys(redis: Redis, pattern: string): Promise<number> {
  if (!/^[^*]{4,}/.test(pattern)) throw new Error(`refusing to delete keys by a pattern without a specific prefix: ${pattern}`);
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

/** SCAN-counts keys matching `pattern` (to prove a cleanup left nothing). */
export async function countKeys(redis: Redis, pattern: string): Promise<number> {
  let cursor = '0';
  let n = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    n += keys.length;
  } while (cursor !== '0');
  return n;
}
