import { createHmac } from 'node:crypto';

/**
 * Key of the session pseudonyms outside production, where SESSION_HASH_KEY
 * may be unset (docs/operations.md, "Session pseudonyms"): fixed, so tests,
 * the simulator and tools/audit agree on the pseudonyms without setup.
 * Production refuses to start without a key of its own.
 */
export const DEV_SESSION_HASH_KEY = 'medcita-dev-session-hash-key-not-secret';

let currentKey = DEV_SESSION_HASH_KEY;

/**
 * Pseudonyms under `currentKey` already computed: a turn asks for its session's
 * pseudonym in five places (runner, journal, dialog, Graph client, processor),
 * and each HMAC is a few microseconds of the worker's per-turn CPU (#14).
 * Bounded; dropped whole when the key changes.
 */
const memo = new Map<string, string>();
export const SESSION_HASH_MEMO_SIZE = 4096;

/** Sets the key every later sessionHash() uses; called once at start-up with SESSION_HASH_KEY. */
export function setSessionHashKey(key: string): void {
  if (key.length === 0) throw new Error('session hash key must not be empty');
  if (key !== currentKey) memo.clear();
  currentKey = key;
}

/** Number of memoised pseudonyms (tests check the bound). */
export function sessionHashMemoSize(): number {
  return memo.size;
}

/**
 * Stable pseudonym of a session for logs, audit records and the clinic API.
 * Keyed: an unkeyed hash of `pnid:wa_id` is reversed by enumerating phone
 * numbers in seconds.
 */
export function sessionHash(sessionKey: string, key: string = currentKey): string {
  if (key !== currentKey) return hmac(sessionKey, key);
  const known = memo.get(sessionKey);
  if (known !== undefined) return known;
  const hash = hmac(sessionKey, key);
  // Oldest first out: a Map iterates in insertion order.
  if (memo.size >= SESSION_HASH_MEMO_SIZE) memo.delete(memo.keys().next().value as string);
  memo.set(sessionKey, hash);
  return hash;
}

function hmac(sessionKey: string, key: string): string {
  return createHmac('sha256', key).update(sessionKey).digest('hex').slice(0, 16);
}

export const SESSION_HASH_KEY_DOC =
  'Secret (32+ characters) keying the session pseudonyms in logs, audit and the clinic API, and the document digests of the identity limiter; required in production, a fixed public dev key otherwise';

/** The key a service runs with; pushes a problem naming SESSION_HASH_KEY when it is missing in production or too short. */
export function resolveSessionHashKey(key: string | undefined, nodeEnv: string, problems: string[]): string {
  if (key === undefined && nodeEnv === 'production') problems.push('SESSION_HASH_KEY is required when NODE_ENV=production');
  if (key !== undefined && key.length < 32) problems.push('SESSION_HASH_KEY must be at least 32 characters');
  return key ?? DEV_SESSION_HASH_KEY;
}
