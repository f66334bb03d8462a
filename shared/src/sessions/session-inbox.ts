import type { RedisClient } from '../redis/connection.js';
import { luaScript, runScript } from '../redis/lua-script.js';
import type { InboxEntry } from './inbox-entry.js';
import { sessionKeys } from './session-keys.js';

const acceptMessage = luaScript(import.meta.url, './lua/acceptMessage-2.lua');

export interface SessionInboxOptions {
  keyPrefix: string;
  /** How long a wamid is remembered; Meta redelivers for days. */
  seenTtlSeconds: number;
}

/** The ingress side of a session: record each delivered message once, in arrival order. */
export class SessionInbox {
  constructor(
    private readonly redis: RedisClient,
    private readonly options: SessionInboxOptions,
  ) {}

  /** Returns true when the message is new, false for a duplicate delivery. */
  async accept(sessionKey: string, entry: InboxEntry): Promise<boolean> {
    const keys = sessionKeys(this.options.keyPrefix, sessionKey);
    const added = await runScript<number>(
      this.redis,
      acceptMessage,
      [keys.seen(entry.message.wamid), keys.inbox],
      [JSON.stringify(entry), this.options.seenTtlSeconds],
    );
    return added === 1;
  }
}
