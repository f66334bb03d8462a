import { createHash } from 'node:crypto';
import { DEV_SESSION_HASH_KEY, sessionHash } from '@medcita/shared';
import { loadWorkerConfig } from '../../src/config.js';

const KEY = 'k'.repeat(40);
const BASE = { WHATSAPP_ACCESS_TOKEN: 'test-token' };

describe('session pseudonyms (docs/operations.md, Session pseudonyms)', () => {
  it('in production the worker refuses to start without SESSION_HASH_KEY, naming it', () => {
    expect(() => loadWorkerConfig({ ...BASE, NODE_ENV: 'production' })).toThrow(/SESSION_HASH_KEY/);
    expect(() => loadWorkerConfig({ ...BASE, NODE_ENV: 'production', SESSION_HASH_KEY: 'short' })).toThrow(
      /SESSION_HASH_KEY must be at least 32/,
    );
    expect(loadWorkerConfig({ ...BASE, NODE_ENV: 'production', SESSION_HASH_KEY: KEY }).SESSION_HASH_KEY).toBe(KEY);
  });

  it('outside production an unset key is the fixed dev key, so separate processes agree', () => {
    expect(loadWorkerConfig(BASE).SESSION_HASH_KEY).toBe(DEV_SESSION_HASH_KEY);
  });

  it('is keyed: the unkeyed SHA-256 of the session key no longer matches, and another key gives another pseudonym', () => {
    const session = '123456789012345:59170000001';
    const unkeyed = createHash('sha256').update(session).digest('hex');
    expect(unkeyed.startsWith(sessionHash(session).slice(0, 12))).toBe(false);
    expect(sessionHash(session, KEY)).not.toBe(sessionHash(session, DEV_SESSION_HASH_KEY));
    expect(sessionHash(session)).toBe(sessionHash(session, DEV_SESSION_HASH_KEY));
    expect(sessionHash(session)).toMatch(/^[0-9a-f]{16}$/);
  });
});
