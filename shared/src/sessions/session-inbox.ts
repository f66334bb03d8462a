import { hash } from 'node:crypto';
import type { RedisClient } from '../redis/connection.js';
import { slotTag } from '../redis/key-slot.js';
import { luaScript } from '../redis/lua-script.js';
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
  // One-shot hash(): no Hash object per message.
  return hash('sha256', wamid, 'buffer').readBigInt64BE(0).toString();
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
export const MAX_INBOX_BATCH = 200;

/** What one acceptMessage call did. */
export interface InboxPush {
  /** Per entry, in order: true when it entered the inbox, false for a duplicate. */
  added: boolean[];
  /**
   * This Redis did not have the script cached (after a restart or a
   * failover), so it ran as EVAL once NOSCRIPT came back: after commands
   * sent behind it on the connection.
   */
  late: boolean;
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
    const [added] = await this.acceptAll(sessionKey, [entry], now);
    return added === true;
  }

  /**
   * The messages of one delivery for one session, in arrival order, in one
   * script call per MAX_INBOX_BATCH. Returns, per entry, true when it
   * entered the inbox and false for a duplicate (of an earlier delivery, or
   * of an earlier entry of this list).
   */
  async acceptAll(sessionKey: string, entries: readonly InboxEntry[], now = Date.now()): Promise<boolean[]> {
    const added: boolean[] = [];
    for (let from = 0; from < entries.length; from += MAX_INBOX_BATCH) {
      added.push(...(await this.push(sessionKey, entries.slice(from, from + MAX_INBOX_BATCH), now)).added);
    }
    return added;
  }

  /**
   * One acceptMessage call for at most MAX_INBOX_BATCH entries. Not async on
   * purpose: its EVALSHA is queued on the client before this returns, so a
   * command the caller sends next on the same connection runs after it in
   * Redis, unless the reply says `late`.
   */
  push(sessionKey: string, entries: readonly InboxEntry[], now = Date.now()): Promise<InboxPush> {
    if (entries.length > MAX_INBOX_BATCH) throw new RangeError(`at most ${MAX_INBOX_BATCH} entries per call, got ${entries.length}`);
    const ttl = this.options.seenTtlSeconds;
    const period = Math.ceil(ttl / (SEEN_BUCKETS - 1));
    const current = Math.floor(now / 1000 / period);
    // Every bucket of a session has the same slot tag: hash the key once, not once per bucket.
    const currentKey = seenBucketKey(this.options.keyPrefix, sessionKey, current);
    const base = currentKey.slice(0, currentKey.length - String(current).length);
    const keys = [sessionKeys(this.options.keyPrefix, sessionKey).inbox, currentKey];
    for (let i = 1; i < SEEN_BUCKETS; i++) keys.push(base + String(current - i));
    const args: (string | number)[] = [(current + 1) * period + ttl, this.options.inboxTtlSeconds ?? ttl];
    for (const entry of entries) args.push(wamidDigest(entry.message.wamid), JSON.stringify(entry));

    // runScript's EVALSHA → EVAL fallback, but telling the caller when the EVAL ran.
    const flags = (reply: unknown) => (reply as number[]).map((f) => f === 1);
    return this.redis.evalsha(acceptMessage.sha, acceptMessage.numberOfKeys, ...keys, ...args).then(
      (reply) => ({ added: flags(reply), late: false }),
      async (err: unknown) => {
        if (!String((err as Error).message).startsWith('NOSCRIPT')) throw err;
        const reply = await this.redis.eval(acceptMessage.lua, acceptMessage.numberOfKeys, ...keys, ...args);
        return { added: flags(reply), late: true };
      },
    );
  }
}
