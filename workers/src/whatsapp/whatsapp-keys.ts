import { createHash } from 'node:crypto';
import { sendMarkerKey } from '@medcita/shared';

/**
 * Every Redis key of the send path, built in one place. All keys of one
 * business number share the `{phoneNumberId}` hash tag so each Lua script's
 * keys live in one cluster slot. (A prefix that itself holds a `{tag}` wins
 * and puts everything in that slot, which is also safe.)
 */
export function sendKeys(prefix: string, phoneNumberId: string) {
  const base = `${prefix}:wa:{${phoneNumberId}}`;
  return {
    /** Theoretical arrival time of the next send (GCRA), fleet-wide for the number. */
    schedule: `${base}:send-tat`,
    /** Set while the number is paused (app or account call limits). */
    numberPause: `${base}:paused`,
    /** The number's adaptive send rate while below the ceiling (after 130429). */
    rate: `${base}:send-rate`,
    /** Set while one user is throttled (131056); recipient hashed to keep phones out of keys. */
    pairPause: (recipient: string) => `${base}:pair:${shortHash(recipient)}`,
    /** Idempotency marker of one outbound message. */
    sendMarker: (idempotencyKey: string) => sendMarkerKey(prefix, phoneNumberId, idempotencyKey),
  };
}

function shortHash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}
