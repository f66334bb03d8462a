import { randomUUID } from 'node:crypto';
import { HandoffStore } from '../../src/handoff/index.js';
import { testRedis } from '@medcita/testkit';

const redis = testRedis();
afterAll(async () => {
  await redis.quit();
});

function openStore(opts: { timeoutSeconds?: number; now?: () => number } = {}) {
  const keyPrefix = `test-${randomUUID()}`;
  const store = new HandoffStore(redis, { keyPrefix, timeoutSeconds: opts.timeoutSeconds ?? 3600, clock: opts.now });
  return { store, keyPrefix };
}

afterEach(async () => {
  // Keys are per-test unique and all carry a TTL or sit in a small index; sweep the indexes.
  const keys = await redis.keys('test-*:{handoff}:*');
  if (keys.length > 0) await redis.del(...keys);
});

describe(HandoffStore.name, () => {
  it('flags a session, lists it for operators and silences it until released', async () => {
    const { store } = openStore();
    expect(await store.isFlagged('pn:591')).toBe(false);
    expect(await store.flag('pn:591', 'asked for a person')).toBe(true);
    expect(await store.isFlagged('pn:591')).toBe(true);
    expect(await store.list()).toEqual([
      expect.objectContaining({ sessionKey: 'pn:591', reason: 'asked for a person' }),
    ]);

    expect(await store.release('pn:591')).toBe(true);
    expect(await store.isFlagged('pn:591')).toBe(false);
    expect(await store.list()).toEqual([]);
    expect(await store.release('pn:591')).toBe(false);
  });

  it('re-flagging an already flagged session is not a new handoff', async () => {
    const { store } = openStore();
    expect(await store.flag('pn:592', 'first')).toBe(true);
    expect(await store.flag('pn:592', 'again')).toBe(false);
    expect(await store.list()).toHaveLength(1);
  });

  it('a flag ends by itself after the timeout and leaves the list', async () => {
    const { store } = openStore({ timeoutSeconds: 1 });
    await store.flag('pn:593', 'timeout test');
    const until = Date.now() + 5000;
    while ((await store.isFlagged('pn:593')) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(await store.isFlagged('pn:593')).toBe(false);
    expect(await store.list()).toEqual([]);
  });

  it('lists only live flags, longest waiting first', async () => {
    let now = 1_000_000;
    const { store } = openStore({ now: () => now });
    await store.flag('pn:a', 'a');
    now += 1000;
    await store.flag('pn:b', 'b');
    expect((await store.list()).map((h) => h.sessionKey)).toEqual(['pn:a', 'pn:b']);
  });
});
