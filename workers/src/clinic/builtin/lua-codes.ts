/**
 * Failure statuses of the builtin store's Lua scripts. Every script with more
 * than one outcome replies `{status, value}` (docs/architecture.md, "Lua
 * replies"): `'ok'` with its payload, or one of these words.
 */
export type LuaFailure =
  'not_found' | 'taken' | 'held' | 'unknown_patient' | 'idempotency_conflict' | 'too_late' | 'cancelled' | 'phone_taken';

const FAILURES: ReadonlySet<string> = new Set<LuaFailure>([
  'not_found',
  'taken',
  'held',
  'unknown_patient',
  'idempotency_conflict',
  'too_late',
  'cancelled',
  'phone_taken',
]);

/**
 * The one translation from a script's reply to either its payload or a
 * failure reason; an unknown status is a script/TS mismatch and throws.
 */
export function readLuaReply(reply: unknown): { ok: true; value: string | number } | { ok: false; reason: LuaFailure } {
  if (!Array.isArray(reply) || typeof reply[0] !== 'string')
    throw new Error(`clinic Lua script returned unexpected ${JSON.stringify(reply)}`);
  const [status, value] = reply as [string, unknown];
  if (status === 'ok' && (typeof value === 'string' || typeof value === 'number')) return { ok: true, value };
  if (FAILURES.has(status)) return { ok: false, reason: status as LuaFailure };
  throw new Error(`clinic Lua script returned unknown status "${status}"`);
}

/** Narrows a script's failure to those the caller documents; anything else means script and TS disagree. */
export function expectFailure<R extends LuaFailure>(reason: LuaFailure, allowed: readonly R[]): R {
  if (!(allowed as readonly LuaFailure[]).includes(reason)) {
    throw new Error(`clinic Lua script failed with unexpected reason "${reason}"`);
  }
  return reason as R;
}
