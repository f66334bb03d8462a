import type { RedisClient } from '@medcita/shared';
import type { Slot, SlotFilters } from '../clinic-port.js';
import type { ClinicKeys } from './keys.js';
import { zonedFormatter, zonedInstant } from './zoned-time.js';
import { fromStoredSlot, type StoredSlot } from './stored-records.js';

export interface FreeSlotScan {
  specialty: string;
  fromMs: number;
  /** Free slots to pass over (earlier pages). */
  skip: number;
  take: number;
  holderId?: string | undefined;
  /** Stop at this start (inclusive); default: the end of the index. */
  untilMs?: number | undefined;
  /** Only slots this accepts count (filters); default: all. */
  accept?: ((slot: Slot) => boolean) | undefined;
}

export interface CompiledFilter {
  accept: (slot: Slot) => boolean;
  /** Bounds implied by `days`, so the scan reads only those days. */
  earliestMs?: number;
  latestMs?: number;
}

/** Two-digit parts, so a slot's local day reads as the `YYYY-MM-DD` the filters' days are. */
const localFormat = zonedFormatter('en-CA', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Turns the port's filters into a predicate over slots in clinic-local time. */
export function slotFilter(filters: SlotFilters, timeZone: string): CompiledFilter {
  const days = filters.days?.length ? new Set(filters.days) : undefined;
  const local = localFormat(timeZone);
  const accept = (slot: Slot): boolean => {
    if (filters.doctorId && slot.doctorId !== filters.doctorId) return false;
    if (filters.clinicId && slot.clinicId !== filters.clinicId) return false;
    if (!days && filters.fromMinute === undefined && filters.toMinute === undefined) return true;
    const p: Record<string, string> = {};
    for (const part of local.formatToParts(new Date(slot.startsAt))) p[part.type] = part.value;
    if (days && !days.has(`${p.year}-${p.month}-${p.day}`)) return false;
    const minute = Number(p.hour) * 60 + Number(p.minute);
    if (filters.fromMinute !== undefined && minute < filters.fromMinute) return false;
    if (filters.toMinute !== undefined && minute >= filters.toMinute) return false;
    return true;
  };
  if (!days) return { accept };
  const sorted = [...days].sort();
  const bound = (day: string, minutes: number) => {
    const [year, month, d] = day.split('-').map(Number);
    return zonedInstant({ year: year!, month: month!, day: d! }, minutes, timeZone);
  };
  return { accept, earliestMs: bound(sorted[0]!, 0), latestMs: bound(sorted[sorted.length - 1]!, 24 * 60) };
}

const CHUNK = 100;

/**
 * Walks the specialty's slots in start order (ties by id, as the sorted set
 * orders them) and keeps those neither booked nor held by someone else.
 * The listing is advisory and needs no atomicity: holdSlot re-checks
 * everything atomically when the patient picks one.
 */
export async function findFreeSlots(redis: RedisClient, keys: ClinicKeys, scan: FreeSlotScan): Promise<Slot[]> {
  const index = keys.slotsBySpecialty(scan.specialty);
  const out: Slot[] = [];
  let toSkip = scan.skip;
  for (let offset = 0; ; offset += CHUNK) {
    const ids = await redis.zrangebyscore(index, scan.fromMs, scan.untilMs ?? '+inf', 'LIMIT', offset, CHUNK);
    if (ids.length === 0) return out;
    const [slots, booked, holders] = await Promise.all([
      redis.hmget(keys.slots, ...ids),
      redis.hmget(keys.booked, ...ids),
      redis.mget(...ids.map((id) => keys.hold(id))),
    ]);
    for (let i = 0; i < ids.length; i++) {
      const raw = slots[i];
      const holder = holders[i];
      if (!raw || booked[i] || (holder && holder !== scan.holderId)) continue;
      const slot = fromStoredSlot(JSON.parse(raw) as StoredSlot);
      if (scan.accept && !scan.accept(slot)) continue;
      if (toSkip > 0) {
        toSkip--;
        continue;
      }
      out.push(slot);
      if (out.length >= scan.take) return out;
    }
    if (ids.length < CHUNK) return out;
  }
}
