/**
 * The audit stream keeps its age cap without a trim after every turn
 * (issue #14): the length cap rides on each XADD, the age trim runs at most
 * once a minute per worker.
 */
import type { RedisClient } from '@medcita/shared';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { TurnJournal, type TurnRecord } from '../../src/pipeline/turn-journal.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The client with the stream commands it is sent recorded. */
function recordingStreamCommands(redis: Redis): { client: RedisClient; commands: string[] } {
  const commands: string[] = [];
  const client = new Proxy(redis, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function' || (prop !== 'xadd' && prop !== 'xtrim')) return value;
      return (...args: unknown[]) => {
        commands.push(prop);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { client, commands };
}

describe('audit stream trimming', () => {
  const keyPrefix = `test-${randomUUID()}`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const record = (n: number): TurnRecord => ({
    rid: `wamid.${n}:token`,
    sessionKey: '123:59170000042',
    phoneNumberId: '123',
    turnId: `wamid.${n}`,
    wamids: [`wamid.${n}`],
    attempt: 1,
    messages: 1,
    replies: 1,
    startedAt: 1,
    endedAt: 2,
    acceptedAt: 1,
    outcome: 'ok',
  });

  afterAll(async () => {
    const keys = await redis.keys(`${keyPrefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('drops records past the age cap, trimming by age once a minute rather than on every turn', async () => {
    const { client, commands } = recordingStreamCommands(redis);
    const journal = new TurnJournal(client, { keyPrefix, maxLength: 1_000, maxAgeMs: 60_000 });
    // A record of a week ago (ids are ms timestamps), enough of them to fill a node so the approximate trim acts.
    for (let i = 0; i < 200; i++) await redis.xadd(journal.key, `${Date.now() - 7 * 86_400_000}-${i}`, 'rid', `old-${i}`);

    await journal.publish([journal.encode(record(1))]);
    const rids = (await redis.xrange(journal.key, '-', '+')).map(([, f]) => f[f.indexOf('rid') + 1]);
    expect(rids).toEqual(['wamid.1:token']);

    await journal.publish([journal.encode(record(2))]);
    await journal.publish([journal.encode(record(3))]);
    expect(commands).toEqual(['xadd', 'xtrim', 'xadd', 'xadd']);
    expect(await redis.xlen(journal.key)).toBe(3);
  });
});
