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
    const ttl = this.options.seenTtlSeconds;
    const period = Math.ceil(ttl / (SEEN_BUCKETS - 1));
    const current = Math.floor(now / 1000 / period);
    const buckets = Array.from({ length: SEEN_BUCKETS }, (_, i) => seenBucketKey(this.options.keyPrefix, sessionKey, current - i));
    const added = await runScript<number>(
      this.redis,
      acceptMessage,
      [sessionKeys(this.options.keyPrefix, sessionKey).inbox, ...buckets],
      [JSON.stringify(entry), wamidDigest(entry.message.wamid), (current + 1) * period + ttl, this.options.inboxTtlSeconds ?? ttl],
    );
    return added === 1;
  }
}
