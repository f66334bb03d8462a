/**
 * What one reply costs on the wire (issue #14): Redis round trips around
 * its request, and TCP connections to the Graph API across many replies.
 */
import net from 'node:net';
import { connectRedis, sendMarkerKey } from '@medcita/shared';
import { countSocketWrites } from '@medcita/testkit';
import type { Redis } from 'ioredis';
import { WORKER_CONNECTION } from '../../src/worker-connection.js';
import { PN, setup } from './helpers.js';

const ANA = { phoneNumberId: PN, waId: '573001112233' };

describe('the cost of a reply', () => {
  let t: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => (t = await setup()));
  afterEach(() => t.teardown());

  /** Counts the scripts this test's Redis client runs (EVALSHA, or EVAL after NOSCRIPT). */
  function countScripts(): { calls: number } {
    const counter = { calls: 0 };
    for (const name of ['evalsha', 'eval'] as const) {
      const original = t.redis[name].bind(t.redis) as (...args: unknown[]) => Promise<unknown>;
      (t.redis as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
        counter.calls++;
        return original(...args);
      };
    }
    return counter;
  }

  it('is one script before its request, and one more once its turn committed', async () => {
    const c = t.client();
    // Loads the scripts into Redis, so the counted sends run EVALSHA once each.
    await c.send(ANA, { kind: 'text', body: 'warm-up' }, { idempotencyKey: 'warm:0' });
    const scripts = countScripts();
    await c.send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'turn1:0' });
    expect(scripts.calls).toBe(1);
    await c.turnCommitted(PN, ['turn1:0']);
    expect(scripts.calls).toBe(2);
    expect(t.fake.sent).toHaveLength(2);
  });

  it('settles all the replies of a committed turn in one round trip', async () => {
    // On a connection built like the worker's, whose socket writes are counted.
    const redis = connectRedis({ REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }, WORKER_CONNECTION) as Redis;
    try {
      const c = t.client({ redis });
      const keys = ['turn2:0', 'turn2:1', 'turn2:2'];
      for (const [i, idempotencyKey] of keys.entries()) await c.send(ANA, { kind: 'text', body: `r${i}` }, { idempotencyKey });
      await redis.ping();
      const socket = countSocketWrites(redis);
      await c.turnCommitted(PN, keys);
      expect(socket.writes).toBe(1);
      for (const k of keys) expect(await t.redis.get(sendMarkerKey(t.keyPrefix, PN, k))).toBe('1');
    } finally {
      redis.disconnect();
    }
  });

  it('reuses its connections to the Graph API for sends and read receipts', async () => {
    // A TCP proxy in front of the fake Graph API counts the connections the client opens.
    let connections = 0;
    const target = new URL(t.fake.url);
    const proxy = net.createServer((down) => {
      connections++;
      const up = net.connect(Number(target.port), target.hostname);
      down.pipe(up).pipe(down);
      down.on('error', () => up.destroy());
      up.on('error', () => down.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const { port } = proxy.address() as net.AddressInfo;
    try {
      const c = t.client({ baseUrl: `http://127.0.0.1:${port}` });
      const reads: Promise<void>[] = [];
      for (let i = 0; i < 20; i++) {
        // As a turn does: the read receipt is not awaited, the reply is.
        reads.push(c.markRead(PN, `wamid.IN${i}`, { typing: true }));
        await c.send(ANA, { kind: 'text', body: `hola ${i}` }, { idempotencyKey: `turn${i}:0` });
      }
      await Promise.all(reads);
      expect(t.fake.sent).toHaveLength(20);
      expect(t.fake.reads).toHaveLength(20);
      // 40 requests; at most two at a time, so two connections would do.
      expect(connections).toBeLessThanOrEqual(4);
    } finally {
      proxy.close();
      await new Promise((r) => setImmediate(r));
    }
  });
});
