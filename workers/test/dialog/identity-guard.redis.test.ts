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
  const guard = new IdentityGuard(redis, { keyPrefix: prefix, maxFailures: 3, windowSeconds: 3600 });

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
});
