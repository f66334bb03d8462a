import { createHash } from 'node:crypto';
import { luaScript, runScript } from '../redis/lua-script.js';
import type { RedisClient } from '../redis/connection.js';
import type { StatusEvent } from './inbound-event.js';

const confirmSend = luaScript(import.meta.url, './lua/confirmSend-1.lua');

/**
 * The idempotency marker of one outbound message. Workers write it around
 * the send; the ingress settles it from the message's status webhook. The
 * `{phoneNumberId}` hash tag keeps all send keys of a number in one slot.
 */
export function sendMarkerKey(prefix: string, phoneNumberId: string, idempotencyKey: string): string {
  return `${prefix}:wa:{${phoneNumberId}}:s:${markerDigest(idempotencyKey)}`;
}

/** Digests of recent idempotency keys: a reply's marker is named three times (start, sent, settle) (#14). */
const digests = new Map<string, string>();
export const MARKER_DIGEST_MEMO_SIZE = 1_024;

function markerDigest(idempotencyKey: string): string {
  let digest = digests.get(idempotencyKey);
  if (digest === undefined) {
    // 96 bits of digest instead of the key itself (a wamid and an index, ~65
    // bytes): markers are written per reply, so their names are most of their size.
    digest = createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 16);
    if (digests.size >= MARKER_DIGEST_MEMO_SIZE) digests.delete(digests.keys().next().value as string);
    digests.set(idempotencyKey, digest);
  }
  return digest;
}

/** Number of memoised digests (tests check the bound). */
export function markerDigestMemoSize(): number {
  return digests.size;
}

/**
 * Every status WhatsApp reports (sent, delivered, read, even failed) proves
 * the send request was accepted; with our idempotency key echoed back, it
 * settles a marker whose owner died before recording the answer. Returns how
 * many markers it settled.
 */
export async function confirmSendsFromStatuses(redis: RedisClient, prefix: string, statuses: readonly StatusEvent[]): Promise<number> {
  const settled = await Promise.all(
    statuses
      .filter((s) => s.callbackData !== undefined)
      .map((s) => runScript<number>(redis, confirmSend, [sendMarkerKey(prefix, s.phoneNumberId, s.callbackData as string)], [s.messageId])),
  );
  return settled.reduce((a, b) => a + b, 0);
}
