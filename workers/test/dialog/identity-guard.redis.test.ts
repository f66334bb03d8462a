import { randomUUID } from 'node:crypto';
import { IdentityGuard } from '../../src/dialog/index.js';
import { connectTestRedis, deleteKeys } from '../clinic/clinic-test-kit.js';

const redis = connectTestRedis();
const prefix = `test-${randomUUID()}`;
afterAll(async () => {
  await deleteKeys(redis, prefix);
  await redis.quit();
});

describe(IdentityGuard.name, () => {
  const guard = new IdentityGuard(redis, { keyPrefix: prefix, maxFailures: 3, windowSeconds: 3600, digestKey: 'guard-test-key' });

  it('locks a session after three failures, and only that session', async () => {
    expect(await guard.recordFailure('pn:1', 't1:0')).toBe(false);
    expect(await guard.recordFailure('pn:1', 't2:0')).toBe(false);
    expect(await guard.isLocked('pn:1')).toBe(false);
    expect(await guard.recordFailure('pn:1', 't3:0')).toBe(true);
    expect(await guard.isLocked('pn:1')).toBe(true);
    expect(await guard.isLocked('pn:2')).toBe(false);
  });

  it('counts a retried turn once', async () => {
    await guard.recordFailure('pn:3', 'same-turn:0');
    await guard.recordFailure('pn:3', 'same-turn:0');
    expect(await guard.recordFailure('pn:3', 'other:0')).toBe(false);
  });

  it('forgets failures after the window', async () => {
    await guard.recordFailure('pn:4', 'x:0');
    const ttl = await redis.ttl(`${prefix}:{pn:4}:identity-failures`);
    expect(ttl).toBeGreaterThan(3500);
    expect(ttl).toBeLessThanOrEqual(3600);
  });

  describe('per document, across phones', () => {
    const doc = new IdentityGuard(redis, {
      keyPrefix: prefix,
      maxFailures: 3,
      windowSeconds: 3600,
      digestKey: 'guard-test-key',
      documentFreeFailures: 2,
      documentBackoffSeconds: 60,
      documentMaxBackoffSeconds: 600,
    });
    const t0 = Date.UTC(2026, 0, 5, 12);

    it('admits the free failures from different phones, then backs off longer after each further failure', async () => {
      expect(await doc.beginAttempt('pn:a', '4455667', 'a:0', t0)).toBe(true);
      expect(await doc.beginAttempt('pn:b', '4455667', 'b:0', t0)).toBe(true);
      expect(await doc.beginAttempt('pn:c', '4455667', 'c:0', t0 + 1000)).toBe(false);
      expect(await doc.beginAttempt('pn:c', '4455667', 'c:1', t0 + 60_000)).toBe(true);
      // Third failure: the wait doubles to two minutes.
      expect(await doc.beginAttempt('pn:d', '4455667', 'd:0', t0 + 60_000 + 119_000)).toBe(false);
      expect(await doc.beginAttempt('pn:d', '4455667', 'd:1', t0 + 60_000 + 120_000)).toBe(true);
      expect(await doc.beginAttempt('pn:e', '7654321', 'e:0', t0 + 60_001)).toBe(true);
    });

    it('caps the back-off and keeps the count for as long as it runs', async () => {
      for (let i = 0, at = t0; i < 8; i++, at += 600_000) expect(await doc.beginAttempt(`pn:f${i}`, '1112223', `f${i}:0`, at)).toBe(true);
      const ttl = await redis.pttl(doc.documentKey('1112223'));
      expect(ttl).toBeGreaterThan(3_600_000);
      expect(ttl).toBeLessThanOrEqual(4_200_000);
    });

    it('a retried turn is admitted again and counted once; a success refunds the attempt', async () => {
      expect(await doc.beginAttempt('pn:g', '9990001', 'g:0', t0)).toBe(true);
      expect(await doc.beginAttempt('pn:g', '9990001', 'g:0', t0)).toBe(true);
      expect(await redis.hlen(doc.documentKey('9990001'))).toBe(1);
      await doc.refundAttempt('pn:g', '9990001', 'g:0');
      expect(await redis.hlen(doc.documentKey('9990001'))).toBe(0);
      expect(await redis.hlen(`${prefix}:{pn:g}:identity-failures`)).toBe(0);
    });

    it('charges the session too, even for a document in back-off', async () => {
      await doc.beginAttempt('pn:h', '5550001', 'h:0', t0);
      await doc.beginAttempt('pn:h', '5550001', 'h:1', t0);
      expect(await doc.beginAttempt('pn:h', '5550001', 'h:2', t0)).toBe(false);
      expect(await doc.isLocked('pn:h')).toBe(true);
    });

    it('names the document key by a keyed digest in its own hash tag, never the document', async () => {
      const key = doc.documentKey('4455667');
      expect(key).not.toContain('4455667');
      expect(key).toMatch(new RegExp(`^${prefix}:\\{iddoc:[0-9a-f]{32}\\}:identity-failures$`));
      const other = new IdentityGuard(redis, { keyPrefix: prefix, maxFailures: 3, windowSeconds: 3600, digestKey: 'another-key' });
      expect(other.documentKey('4455667')).not.toBe(key);
    });
  });

  describe("telling the document's registered phone", () => {
    const alerts = new IdentityGuard(redis, {
      keyPrefix: prefix,
      maxFailures: 3,
      windowSeconds: 3600,
      digestKey: 'alert-test-key',
      documentMaxBackoffSeconds: 600,
    });

    it('once per period, however many numbers try the document', async () => {
      const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => alerts.claimOwnerAlert('3216549', `n${i}:0`)));
      expect(claims.filter(Boolean)).toHaveLength(1);
      // Another document has its own period.
      expect(await alerts.claimOwnerAlert('3216540', 'n0:1')).toBe(true);
    });

    it('a retried turn holds the claim it made, so a crash before the send still sends it', async () => {
      expect(await alerts.claimOwnerAlert('7418529', 'r:0')).toBe(true);
      expect(await alerts.claimOwnerAlert('7418529', 'r:0')).toBe(true);
      expect(await alerts.claimOwnerAlert('7418529', 's:0')).toBe(false);
    });

    it('the period is the longest back-off; after it the next attempt alerts again', async () => {
      expect(await alerts.claimOwnerAlert('9638527', 'p:0')).toBe(true);
      const key = alerts.documentKey('9638527').replace(/identity-failures$/, 'identity-alert');
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(590_000);
      expect(ttl).toBeLessThanOrEqual(600_000);
      expect(await redis.get(key)).toBe('p:0');
      expect(key).not.toContain('9638527');
      await redis.del(key); // what the TTL does at the end of the period
      expect(await alerts.claimOwnerAlert('9638527', 'q:0')).toBe(true);
    });
  });
});
