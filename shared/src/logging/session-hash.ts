import { createHmac } from 'node:crypto';

/**
 * Key of the session pseudonyms outside production, where SESSION_HASH_KEY
 * may be unset (docs/operations.md, "Session pseudonyms"): fixed, so tests,
 * the simulator and tools/audit agree on the pseudonyms without setup.
 * Production refuses to start without a key of its own.
 */
export const DEV_SESSION_HASH_KEY = 'medcita-dev-session-hash-key-not-secret';

let currentKey = DEV_SESSION_HASH_KEY;

/** Sets the key every later sessionHash() uses; called once at start-up with SESSION_HASH_KEY. */
export function setSessionHashKey(key: string): void {
  if (key.length === 0) throw new Error('session hash key must not be empty');
  currentKey = key;
}

/**
 * Stable pseudonym of a session for logs, audit records and the clinic API.
 * Keyed: an unkeyed hash of `pnid:wa_id` is reversed by enumerating phone
 * numbers in seconds.
 */
export function sessionHash(sessionKey: string, key: string = currentKey): string {
  return createHmac('sha256', key).update(sessionKey).digest('hex').slice(0, 16);
}
