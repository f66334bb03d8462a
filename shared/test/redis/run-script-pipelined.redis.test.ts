/**
 * Several calls of one script sent together (#14: a turn settles all its
 * send markers in one round trip), including on a node that has not seen
 * the script yet.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { countSocketWrites, testRedis } from '@medcita/testkit';
import type { Redis } from 'ioredis';
import { connectRedis, luaScript, runScriptPipelined } from '../../src/index.js';

/** A script no Redis has cached: its text carries a fresh id, so its SHA is new. */
function freshScript(): ReturnType<typeof luaScript> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lua-'));
  writeFileSync(path.join(dir, 'incrBy-1.lua'), `-- ${randomUUID()}\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])\n`);
  return luaScript(pathToFileURL(path.join(dir, 'x.ts')).href, './incrBy-1.lua');
}

describe('runScriptPipelined', () => {
  let redis: Redis;
  const key = `test:{pipelined-${randomUUID()}}`;
  beforeAll(() => (redis = testRedis()));
  afterAll(async () => {
    await redis.del(key);
    redis.disconnect();
  });

  it('runs every call in order, sent in one write on a coalescing connection, and loads a script the node has not seen', async () => {
    const script = freshScript();
    // Built like the worker's connection; its socket's writes are counted.
    const coalescing = connectRedis(
      { REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
      { role: 'blocking', coalesceWrites: 'loop' },
    ) as Redis;
    try {
      await coalescing.ping();
      const socket = countSocketWrites(coalescing);
      const first = await runScriptPipelined<number>(coalescing, script, [
        { keys: [key], args: [1] },
        { keys: [key], args: [10] },
      ]);
      expect(first).toEqual([1, 11]);
      socket.writes = 0;
      const again = await runScriptPipelined<number>(coalescing, script, [
        { keys: [key], args: [100] },
        { keys: [key], args: [1000] },
      ]);
      expect(again).toEqual([111, 1111]);
      expect(socket.writes).toBe(1);
    } finally {
      coalescing.disconnect();
    }
  });

  it('throws what a call failed with, after the others ran', async () => {
    const script = freshScript();
    const other = `${key}:other`;
    await redis.set(key, 'not a number');
    await expect(
      runScriptPipelined(redis, script, [
        { keys: [key], args: [1] },
        { keys: [other], args: [5] },
      ]),
    ).rejects.toThrow(/not an integer/);
    expect(await redis.get(other)).toBe('5');
    await redis.del(other);
  });
});
