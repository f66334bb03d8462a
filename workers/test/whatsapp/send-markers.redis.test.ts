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

  it('keep only state and message id once sent, for at most a day, and a few minutes once the turn committed', async () => {
    const c = t.client();
    const first = await c.send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'wamid.TURN1:0' });
    const key = sendMarkerKey(t.keyPrefix, PN, 'wamid.TURN1:0');
    expect(await t.redis.hgetall(key)).toEqual({ state: 'done', messageId: first.messageId });
    const ttl = await t.redis.pttl(key);
    expect(ttl).toBeGreaterThan(86_400_000 - 60_000);
    expect(ttl).toBeLessThanOrEqual(86_400_000);
    // ~190 bytes with the default `mc` prefix; this test's prefix is 40 bytes longer (was ~405 before).
    expect(Number(await t.redis.memory('USAGE', key))).toBeLessThan(250);

    await c.turnCommitted(PN, ['wamid.TURN1:0']);
    const settled = await t.redis.pttl(key);
    expect(settled).toBeGreaterThan(0);
    expect(settled).toBeLessThanOrEqual(900_000);
    // Still there for a displaced sender: it does not send again.
    expect(await c.send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'wamid.TURN1:0' })).toEqual({
      messageId: first.messageId,
      skipped: true,
    });
    expect(t.fake.sent).toHaveLength(1);
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
