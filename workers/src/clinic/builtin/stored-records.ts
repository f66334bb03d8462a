import type { RedisClient } from '@medcita/shared';
import type { Appointment, Slot } from '../clinic-port.js';
import type { ClinicKeys } from './keys.js';

/**
 * How slots and appointments sit in Redis: the domain record plus the start
 * as epoch-ms text, which the Lua scripts compare with "now" (text, because
 * cjson would print a large number in exponent form).
 */
export interface StoredSlot extends Slot {
  startsAtMs: string;
}

export interface StoredAppointment extends Omit<Appointment, 'slot'> {
  slot: StoredSlot;
}

export function toStoredSlot(slot: Slot): StoredSlot {
  return { ...slot, startsAtMs: String(Date.parse(slot.startsAt)) };
}

export function fromStoredSlot(stored: StoredSlot): Slot {
  const { startsAtMs: _internal, ...slot } = stored;
  return slot;
}

export function parseStoredAppointment(raw: string): Appointment {
  const stored = JSON.parse(raw) as StoredAppointment;
  return { ...stored, slot: fromStoredSlot(stored.slot) };
}

/** The stored appointments of these ids, in their order; ids not found are left out. */
export async function readAppointments(redis: RedisClient, keys: ClinicKeys, ids: string[]): Promise<Appointment[]> {
  if (ids.length === 0) return [];
  const raws = await redis.hmget(keys.appointments, ...ids);
  return raws.flatMap((raw) => (raw ? [parseStoredAppointment(raw)] : []));
}
