import type { RedisClient } from '@medcita/shared';
import type { Slot } from '../clinic-port.js';
import type { ClinicKeys } from './keys.js';
import { fromStoredSlot, type StoredSlot } from './stored-records.js';

export interface FreeSlotScan {
  specialty: string;
  fromMs: number;
  /** Free slots to pass over (earlier pages). */
  skip: number;
  take: number;
  holderId?: string | undefined;
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
    const ids = await redis.zrangebyscore(index, scan.fromMs, '+inf', 'LIMIT', offset, CHUNK);
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
      if (toSkip > 0) {
        toSkip--;
        continue;
      }
      out.push(fromStoredSlot(JSON.parse(raw) as StoredSlot));
      if (out.length >= scan.take) return out;
    }
    if (ids.length < CHUNK) return out;
  }
}
