import type { RedisClient } from '@medcita/shared';
import type { ClinicKeys } from './keys.js';
import type { SeedData } from './seed-data.js';
import { generateSlots } from './slot-generator.js';
import { toStoredSlot } from './stored-records.js';

export interface SeedOptions {
  now: number;
  timeZone: string;
  days: number;
}

/** Slots that ended this long ago are dropped from the store on the next seed. */
const KEEP_PAST_MS = 24 * 60 * 60 * 1000;

/**
 * Writes the seed's patients and the slot window. Safe to run again at any
 * time and from several processes at once: slots are added only if missing
 * (same ids every run), and holds, bookings and appointments live in other
 * keys that seeding never touches. Not atomic and need not be: every write
 * is idempotent and booking re-checks the slot itself.
 */
export async function seedStore(redis: RedisClient, keys: ClinicKeys, seed: SeedData, opts: SeedOptions): Promise<number> {
  const slots = generateSlots(seed, opts);
  // An erased patient stays erased even if the seed file still lists them.
  const erased = new Set(await redis.smembers(keys.erasedPatients));
  const tx = redis.multi();
  for (const p of seed.patients.filter((patient) => !erased.has(patient.id))) {
    tx.hset(keys.patients, p.id, JSON.stringify(p));
    tx.hset(keys.patientsByDocument, p.documentNumber, p.id);
    tx.hset(keys.patientsByPhone, p.phone, p.id);
  }
  for (const slot of slots) {
    const stored = toStoredSlot(slot);
    tx.hsetnx(keys.slots, slot.id, JSON.stringify(stored));
    tx.zadd(keys.slotsBySpecialty(slot.specialty), 'NX', stored.startsAtMs, slot.id);
  }
  for (const [err] of (await tx.exec()) ?? []) if (err) throw err;
  await pruneOldSlots(redis, keys, seed, opts.now - KEEP_PAST_MS);
  return slots.length;
}

async function pruneOldSlots(redis: RedisClient, keys: ClinicKeys, seed: SeedData, before: number): Promise<void> {
  for (const { code } of seed.specialties) {
    const index = keys.slotsBySpecialty(code);
    const old = await redis.zrangebyscore(index, '-inf', `(${before}`);
    if (old.length === 0) continue;
    // Appointments keep their own slot snapshot, so dropping past slots loses nothing.
    await redis
      .multi()
      .hdel(keys.slots, ...old)
      .hdel(keys.booked, ...old)
      .zrem(index, ...old)
      .exec();
  }
}
