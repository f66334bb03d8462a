import { keySlot, slotTag } from '../redis/key-slot.js';

/**
 * Every Redis key of one conversation carries the session in a {hash tag}, so
 * a session's Lua scripts touch one cluster slot whatever the fleet's size.
 */
export interface SessionKeys {
  /** Accepted messages not yet taken by a turn (list, FIFO). */
  inbox: string;
  /** The batch the current turn works on; survives a crash so the retry redoes the same batch. */
  processing: string;
  /** Attempts made at the batch in `processing`. */
  attempts: string;
  /** Owner token of the running turn. */
  lock: string;
  /** Dialog state (hash). */
  state: string;
  /** Recent messages in and out (capped list). */
  history: string;
  /** Audit records of committed turns not yet in the global audit stream (list). */
  auditOutbox: string;
  /** Admission times of recent messages (sorted set, per-session rate limit). */
  rate: string;
  /** The rate-limit notice level already sent in the current window (1 deferring, 2 discarding). */
  rateNotice: string;
  /** Rolling context: the last messages as text, for operators (list). */
  context: string;
  /** The handoff transcript: context at the handoff plus everything during it (list). */
  transcript: string;
  /** Delivery status per operator reply id (hash). */
  replyStatus: string;
  /** Failed identifications of the session in the window (hash). */
  identityFailures: string;
  /** The appointment last reminded to this session. */
  reminder: string;
}

/**
 * The dedupe bucket of period `n` shared by every session in the cluster
 * slot of `sessionKey`: the tag is chosen to hash to that slot, so the
 * bucket can be written in one script with the session's inbox.
 */
export function seenBucketKey(prefix: string, sessionKey: string, n: number): string {
  const slot = keySlot(`${prefix}:{${sessionKey}}`);
  return `${prefix}:{${slotTag(slot)}}:seen:${n}`;
}

export function sessionKeys(prefix: string, sessionKey: string): SessionKeys {
  const base = `${prefix}:{${sessionKey}}`;
  return {
    inbox: `${base}:inbox`,
    processing: `${base}:processing`,
    attempts: `${base}:attempts`,
    lock: `${base}:lock`,
    state: `${base}:state`,
    history: `${base}:history`,
    auditOutbox: `${base}:audit-outbox`,
    rate: `${base}:rate`,
    rateNotice: `${base}:rate-notice`,
    context: `${base}:context`,
    transcript: `${base}:transcript`,
    replyStatus: `${base}:reply-status`,
    identityFailures: `${base}:identity-failures`,
    reminder: `${base}:reminder`,
  };
}

/**
 * `{phoneNumberId}:{userId ?? waId}`: one business number's conversation with
 * one user. The BSUID wins because users with usernames may withhold their phone.
 */
export function buildSessionKey(phoneNumberId: string, userId: string | undefined, waId: string | undefined): string {
  const who = userId ?? waId;
  if (!who) throw new Error('a session needs user_id or wa_id');
  return `${phoneNumberId}:${who}`;
}
