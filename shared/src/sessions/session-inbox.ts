import { createHash } from 'node:crypto';
import type { RedisClient } from '../redis/connection.js';
import { slotTag } from '../redis/key-slot.js';
import { luaScript, runScript } from '../redis/lua-script.js';
import type { InboxEntry } from './inbox-entry.js';
import { seenBucketKey, sessionKeys } from './session-keys.js';

const acceptMessage = luaScript(import.meta.url, './lua/acceptMessage-9.lua');

/** Buckets looked up per message: the current one and seven older ones, each a seventh of the seen TTL. */
const SEEN_BUCKETS = 8;

/**
 * 64 bits of SHA-256 as a signed decimal, which Redis stores as an integer
 * (8 bytes in an intset). Two wamids collide with probability 2^-64 per pair
 * in the same bucket; a collision would take a new message for a duplicate.
 */
export function wamidDigest(wamid: string): string {
  return createHash('sha256').update(wamid).digest().readBigInt64BE(0).toString();
}

export interface SessionInboxOptions {
  keyPrefix: string;
  /** How long a wamid is remembered at least; Meta redelivers for days. */
  seenTtlSeconds: number;
  /** TTL of an inbox, refreshed by each push; turns drain it long before (default: the seen TTL). */
  inboxTtlSeconds?: number;
}

/**
 * Messages per script call: a delivery holds a handful, but the script's
 * `unpack` is bounded by Lua's stack, so a huge signed batch goes in slices.
 */
const MAX_BATCH = 200;

/** The ingress side of a session: record each delivered message once, in arrival order. */
export class SessionInbox {
  constructor(
    private readonly redis: RedisClient,
    private readonly options: SessionInboxOptions,
  ) {
    // Builds the slot → tag table now rather than on the first delivery.
    slotTag(0);
  }

  /**
   * Returns true when the message is new, false for a duplicate delivery.
   * `now` (ms) picks the dedupe bucket; tests and the memory benchmark move it.
   */
  async accept(sessionKey: string, entry: InboxEntry, now = Date.now()): Promise<boolean> {
    const [added] = await this.acceptAll(sessionKey, [entry], now);
    return added === true;
  }

  /**
   * The messages of one delivery for one session, in arrival order: one
   * script call (one round trip) for all of them. Returns, per entry, true
   * when it entered the inbox and false for a duplicate (of an earlier
   * delivery, or of an earlier entry of this list).
   */
  async acceptAll(sessionKey: string, entries: readonly InboxEntry[], now = Date.now()): Promise<boolean[]> {
    const ttl = this.options.seenTtlSeconds;
    const period = Math.ceil(ttl / (SEEN_BUCKETS - 1));
    const current = Math.floor(now / 1000 / period);
    // Every bucket of a session has the same slot tag: hash the key once, not once per bucket.
    const currentKey = seenBucketKey(this.options.keyPrefix, sessionKey, current);
    const base = currentKey.slice(0, currentKey.length - String(current).length);
    const keys = [sessionKeys(this.options.keyPrefix, sessionKey).inbox, currentKey];
    for (let i = 1; i < SEEN_BUCKETS; i++) keys.push(base + String(current - i));
    const expiresAt = (current + 1) * period + ttl;
    const inboxTtl = this.options.inboxTtlSeconds ?? ttl;

    const added: boolean[] = [];
    for (let from = 0; from < entries.length; from += MAX_BATCH) {
      const args: (string | number)[] = [expiresAt, inboxTtl];
      for (const entry of entries.slice(from, from + MAX_BATCH)) args.push(wamidDigest(entry.message.wamid), JSON.stringify(entry));
      const flags = await runScript<number[]>(this.redis, acceptMessage, keys, args);
      for (const flag of flags) added.push(flag === 1);
    }
    return added;
  }
}
