import { createHmac } from 'node:crypto';
import { DEV_SESSION_HASH_KEY, sessionHash, setSessionHashKey } from '@medcita/shared';
import { SESSION_HASH_MEMO_SIZE, sessionHashMemoSize } from '../src/logging/session-hash.js';

const OTHER_KEY = 'o'.repeat(40);

function expected(session: string, key: string): string {
  return createHmac('sha256', key).update(session).digest('hex').slice(0, 16);
}

describe('sessionHash memo (#14: one HMAC per session, not five per turn)', () => {
  afterEach(() => setSessionHashKey(DEV_SESSION_HASH_KEY));

  it('returns the same pseudonym on a repeat call as the HMAC itself', () => {
    const session = '123456789012345:59170000042';
    expect(sessionHash(session)).toBe(expected(session, DEV_SESSION_HASH_KEY));
    expect(sessionHash(session)).toBe(expected(session, DEV_SESSION_HASH_KEY));
  });

  it('a new key gives the new pseudonyms at once, not the memoised old ones', () => {
    const session = '123456789012345:59170000043';
    const before = sessionHash(session);
    setSessionHashKey(OTHER_KEY);
    expect(sessionHash(session)).toBe(expected(session, OTHER_KEY));
    expect(sessionHash(session)).not.toBe(before);
    expect(sessionHash(session, DEV_SESSION_HASH_KEY)).toBe(before);
  });

  it('stays bounded however many sessions pass through a worker', () => {
    for (let i = 0; i < SESSION_HASH_MEMO_SIZE + 500; i++) sessionHash(`123456789012345:5917${i}`);
    expect(sessionHashMemoSize()).toBe(SESSION_HASH_MEMO_SIZE);
    expect(sessionHash('123456789012345:59170')).toBe(expected('123456789012345:59170', DEV_SESSION_HASH_KEY));
  });
});
