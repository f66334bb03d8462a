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
    expect(await store.list()).toEqual([expect.objectContaining({ sessionKey: 'pn:591', reason: 'asked for a person' })]);

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

  it('a flag past its wait leaves the list, and its timer ends it exactly once', async () => {
    let now = 1_000_000;
    const { store } = openStore({ timeoutSeconds: 60, now: () => now });
    await store.flag('pn:593', 'timeout test');
    const { flaggedAt } = (await store.get('pn:593'))!;
    expect(await store.expire('pn:593', flaggedAt)).toBe(now + 60_000); // not yet
    now += 60_000;
    expect(await store.list()).toEqual([]);
    expect(await store.expire('pn:593', flaggedAt)).toBe('ended');
    expect(await store.isFlagged('pn:593')).toBe(false);
    expect(await store.expire('pn:593', flaggedAt)).toBe('over');
  });

  it('a flag outlives its wait only by the grace period, so a stopped fleet still ends it', async () => {
    const { store, keyPrefix } = openStore({ timeoutSeconds: 60 });
    await store.flag('pn:594', 'x');
    const ttl = await redis.ttl(`${keyPrefix}:{handoff}:session:pn:594`);
    expect(ttl).toBeGreaterThan(60);
    expect(ttl).toBeLessThanOrEqual(60 + HandoffStore.graceSeconds);
  });

  it('one operator takes a conversation; another cannot take, touch or release it; taking restarts the wait', async () => {
    let now = 1_000_000;
    const { store } = openStore({ timeoutSeconds: 60, now: () => now });
    await store.flag('pn:595', 'asked_for_person', { firstName: 'Ana', address: { phoneNumberId: 'pn', waId: '595' } });
    const v0 = await store.version();
    expect(await store.touch('pn:595', 'ana')).toEqual({ ok: false, reason: 'not_taken' });
    const [a, b] = await Promise.all([store.take('pn:595', 'ana'), store.take('pn:595', 'luis')]);
    expect([a, b]).toEqual([{ ok: true }, { ok: false, reason: 'taken', holder: 'ana' }]);
    expect(await store.version()).not.toBe(v0);
    expect(await store.touch('pn:595', 'luis')).toEqual({ ok: false, reason: 'taken', holder: 'ana' });
    expect(await store.release('pn:595', 'luis')).toBe('held');
    now += 50_000;
    expect(await store.touch('pn:595', 'ana')).toEqual({ ok: true });
    const h = (await store.get('pn:595'))!;
    expect(h).toEqual(expect.objectContaining({ assignee: 'ana', firstName: 'Ana', expiresAt: now + 60_000 }));
    // A re-flag (the bot flags again) keeps who holds it.
    await store.flag('pn:595', 'asked_for_person');
    expect((await store.get('pn:595'))!.assignee).toBe('ana');
    expect(await store.release('pn:595', 'ana')).toBe(true);
    expect(await store.take('pn:595', 'ana')).toEqual({ ok: false, reason: 'missing' });
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
