/** Negative integers the builtin Lua scripts return on failure; stored nowhere, but keep in sync with lua/*.lua. */
export enum LuaCode {
  NotFound = -1,
  Taken = -2,
  HeldByOther = -3,
  UnknownPatient = -4,
  IdempotencyConflict = -5,
  TooLate = -6,
  Cancelled = -7,
  PhoneTaken = -8,
}

export type LuaFailure =
  'not_found' | 'taken' | 'held' | 'unknown_patient' | 'idempotency_conflict' | 'too_late' | 'cancelled' | 'phone_taken';

const REASONS: Record<LuaCode, LuaFailure> = {
  [LuaCode.NotFound]: 'not_found',
  [LuaCode.Taken]: 'taken',
  [LuaCode.HeldByOther]: 'held',
  [LuaCode.UnknownPatient]: 'unknown_patient',
  [LuaCode.IdempotencyConflict]: 'idempotency_conflict',
  [LuaCode.TooLate]: 'too_late',
  [LuaCode.Cancelled]: 'cancelled',
  [LuaCode.PhoneTaken]: 'phone_taken',
};

/**
 * The one translation from a script's reply to either its payload or a
 * failure reason; an unknown negative code is a script/TS mismatch and throws.
 */
export function readLuaReply(reply: unknown): { ok: true; value: string | number } | { ok: false; reason: LuaFailure } {
  if (typeof reply === 'number' && reply < 0) {
    const reason = REASONS[reply as LuaCode];
    if (!reason) throw new Error(`clinic Lua script returned unknown code ${reply}`);
    return { ok: false, reason };
  }
  if (typeof reply === 'string' || typeof reply === 'number') return { ok: true, value: reply };
  throw new Error(`clinic Lua script returned unexpected ${typeof reply}`);
}

/** Narrows a script's failure to those the caller documents; anything else means script and TS disagree. */
export function expectFailure<R extends LuaFailure>(reason: LuaFailure, allowed: readonly R[]): R {
  if (!(allowed as readonly LuaFailure[]).includes(reason)) {
    throw new Error(`clinic Lua script failed with unexpected reason "${reason}"`);
  }
  return reason as R;
}
