import { clinicKeys, fleetKeys, type RedisClient } from '@medcita/shared';
import { findJobs, findKeys } from './footprint.js';
import type { Person, ToolSettings } from './identify.js';

export interface ErasureCounts {
  keysDeleted: number;
  /** Hash fields, list items, set and sorted-set members, stream entries removed from keys shared with others. */
  partsRemoved: number;
  jobsRemoved: number;
  /** Jobs running right now: BullMQ forbids removing them; erase again once they finish. */
  jobsRunning: number;
  patients: number;
  appointments: number;
}

/**
 * Deletes the person's jobs, then everything `findKeys` finds (after the
 * jobs, since removing a job writes its id to the queue's event stream). Streams lose only the person's entries
 * (a stream is never deleted: consumer groups hang on it). Seed-file patients
 * are remembered by id so the next seeding does not bring them back. The
 * erasure is recorded with a time and the counts, never whom.
 */
export async function erase(redis: RedisClient, person: Person, s: ToolSettings): Promise<ErasureCounts> {
  const counts: ErasureCounts = {
    keysDeleted: 0,
    partsRemoved: 0,
    jobsRemoved: 0,
    jobsRunning: 0,
    patients: person.patientIds.length,
    appointments: person.appointmentIds.length,
  };
  for (const j of await findJobs(redis, person, s)) {
    if (j.state === 'active') counts.jobsRunning++;
    else {
      await j.job.remove();
      counts.jobsRemoved++;
    }
  }
  const ck = clinicKeys(s.clinicKeyPrefix);
  if (person.patientIds.length > 0) await redis.sadd(ck.erasedPatients, ...person.patientIds);
  for (const k of await findKeys(redis, person, s)) {
    if (k.stream) {
      counts.partsRemoved += await redis.xdel(k.key, ...k.stream.map(([id]) => id));
    } else if (k.whole) {
      counts.keysDeleted += await redis.del(k.key);
    } else if (k.hash) {
      counts.partsRemoved += await redis.hdel(k.key, ...Object.keys(k.hash));
    } else if (k.list) {
      for (const item of k.list) counts.partsRemoved += await redis.lrem(k.key, 0, item);
    } else if (k.set) {
      counts.partsRemoved += await redis.srem(k.key, ...k.set);
    } else if (k.zset) {
      counts.partsRemoved += await redis.zrem(k.key, ...k.zset.map(([m]) => m));
    }
  }
  const fk = fleetKeys(s.keyPrefix);
  await redis.incr(fk.handoffVersion);
  await redis.xadd(
    fk.erasures,
    'MAXLEN',
    '~',
    '10000',
    '*',
    'at',
    new Date().toISOString(),
    ...Object.entries(counts).flatMap(([k, v]) => [k, String(v)]),
  );
  return counts;
}
