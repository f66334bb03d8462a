/**
 * Send markers hold what a later claim needs and live as long as a resend
 * can happen (docs/architecture.md, "Redis keys"): while the turn may be
 * retried, then briefly after it committed.
 */
import { sendMarkerKey } from '@medcita/shared';
import { PN, setup } from './helpers.js';

const ANA = { phoneNumberId: PN, waId: '59170000001' };

describe('send markers', () => {
  let t: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    t = await setup();
  });
  afterAll(async () => {
    await t.teardown();
  });

  it('keep only the message id once sent, for at most a day, and only the key for a few minutes once the turn committed', async () => {
    const c = t.client();
    const first = await c.send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'wamid.TURN1:0' });
    const key = sendMarkerKey(t.keyPrefix, PN, 'wamid.TURN1:0');
    expect(await t.redis.get(key)).toBe(first.messageId);
    const ttl = await t.redis.pttl(key);
    expect(ttl).toBeGreaterThan(86_400_000 - 60_000);
    expect(ttl).toBeLessThanOrEqual(86_400_000);
    // A string, not a hash (was < 250 bytes as a hash with state and messageId; this test's prefix is 40 bytes longer than `mc`).
    const open = Number(await t.redis.memory('USAGE', key));
    expect(open).toBeLessThanOrEqual(200);

    await c.turnCommitted(PN, ['wamid.TURN1:0']);
    const settled = await t.redis.pttl(key);
    expect(settled).toBeGreaterThan(0);
    expect(settled).toBeLessThanOrEqual(900_000);
    expect(Number(await t.redis.memory('USAGE', key))).toBeLessThan(open);
    // Still there for a displaced sender: it does not send again.
    expect(await c.send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'wamid.TURN1:0' })).toEqual({
      messageId: '',
      skipped: true,
    });
    expect(t.fake.sent).toHaveLength(1);
  });

  it('read markers written in the layout before (a hash) during a rolling deploy', async () => {
    const c = t.client();
    const done = sendMarkerKey(t.keyPrefix, PN, 'wamid.OLD1:0');
    await t.redis.hset(done, 'state', 'done', 'messageId', 'wamid.SENT-BY-AN-OLD-WORKER');
    await t.redis.pexpire(done, 86_400_000);
    expect(await c.send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'wamid.OLD1:0' })).toEqual({
      messageId: 'wamid.SENT-BY-AN-OLD-WORKER',
      skipped: true,
    });
    // An open claim of an old worker that died before its request: taken over once old enough, sent once, stored the new way.
    const open = sendMarkerKey(t.keyPrefix, PN, 'wamid.OLD2:0');
    await t.redis.hset(open, 'state', 'claimed', 'owner', 'an-old-dead-worker', 'claimedAt', Date.now() - 3_600_000);
    await t.redis.pexpire(open, 86_400_000);
    const sent = await c.send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'wamid.OLD2:0' });
    expect(sent.skipped).toBe(false);
    expect(await t.redis.get(open)).toBe(sent.messageId);
    await c.turnCommitted(PN, ['wamid.OLD1:0']);
    expect(await c.send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'wamid.OLD1:0' })).toEqual({ messageId: '', skipped: true });
    expect(t.fake.sent).toHaveLength(2);
  });

  it('once the turn committed, cut an open marker without marking it sent, and create none', async () => {
    // A displaced worker's request may still be out: its marker must keep stopping a resend, not claim a send.
    const open = sendMarkerKey(t.keyPrefix, PN, 'wamid.TURN3:0');
    await t.redis.hset(open, 'state', 'sending', 'owner', 'a-displaced-worker', 'claimedAt', Date.now(), 'sendingAt', Date.now());
    await t.redis.pexpire(open, 86_400_000);
    await t.client().turnCommitted(PN, ['wamid.TURN3:0', 'wamid.NEVER:0']);
    expect(await t.redis.hget(open, 'state')).toBe('sending');
    expect(await t.redis.pttl(open)).toBeLessThanOrEqual(900_000);
    expect(await t.redis.exists(sendMarkerKey(t.keyPrefix, PN, 'wamid.NEVER:0'))).toBe(0);
  });

  it('never lengthens a marker that is already shorter', async () => {
    const c = t.client();
    await c.send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'wamid.TURN2:0' });
    const key = sendMarkerKey(t.keyPrefix, PN, 'wamid.TURN2:0');
    await t.redis.pexpire(key, 5_000);
    await c.turnCommitted(PN, ['wamid.TURN2:0']);
    expect(await t.redis.pttl(key)).toBeLessThanOrEqual(5_000);
  });
});
