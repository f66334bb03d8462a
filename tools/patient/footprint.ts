import { clinicKeys, familyOf, QueueName, type KeyPrefixes, type RedisClient } from '@medcita/shared';
import { Queue, type Job, type JobType } from 'bullmq';
import { mentions, needlesOf, type Person, type ToolSettings } from './identify.js';
import { scanKeys } from './scan.js';

/** A key about the person: all of it (`whole`), or the fields, items, members or entries that are. */
export interface FoundKey {
  key: string;
  /** The key catalogue's pattern, or "unknown" for a key no family describes. */
  family: string;
  personal: string;
  type: string;
  whole: boolean;
  hash?: Record<string, string>;
  list?: string[];
  set?: string[];
  zset?: [string, number][];
  stream?: [string, Record<string, string>][];
  string?: string;
}

export interface FoundJob {
  queue: string;
  id: string;
  name: string;
  state: string;
  data: unknown;
  job: Job;
}

export interface Footprint {
  keys: FoundKey[];
  jobs: FoundJob[];
}

const JOB_STATES: JobType[] = ['active', 'waiting', 'delayed', 'prioritized', 'completed', 'failed', 'waiting-children'];

function prefixes(s: ToolSettings): KeyPrefixes {
  return { p: s.keyPrefix, c: s.clinicKeyPrefix, q: s.queuePrefix };
}

/**
 * Every key and job about the person. Families the key catalogue marks as
 * holding no personal data are not read; a key no family describes is read,
 * so a new key family cannot hide a person from export and erasure.
 */
export async function footprint(redis: RedisClient, person: Person, s: ToolSettings): Promise<Footprint> {
  return { jobs: await findJobs(redis, person, s), keys: await findKeys(redis, person, s) };
}

/** The keys (and parts of keys) about the person. */
export async function findKeys(redis: RedisClient, person: Person, s: ToolSettings): Promise<FoundKey[]> {
  const needles = needlesOf(person);
  const keys: FoundKey[] = [];
  const tombstones = clinicKeys(s.clinicKeyPrefix).erasedPatients;
  for (const prefix of [s.keyPrefix, s.clinicKeyPrefix, s.queuePrefix]) {
    for (const key of await scanKeys(redis, `${prefix}:*`)) {
      if (key === tombstones) continue;
      const family = familyOf(key, prefixes(s));
      if (family?.personal === 'none') continue;
      const type = await redis.type(key);
      // Queue bookkeeping (job hashes, state lists and sets) belongs to BullMQ: jobs are found through its API above.
      if (key.startsWith(`${s.queuePrefix}:`) && type !== 'stream' && type !== 'string') continue;
      const found = await read(redis, key, type, needles);
      if (found) keys.push({ key, family: family?.pattern ?? 'unknown', personal: family?.personal ?? 'unknown', type, ...found });
    }
  }
  return keys;
}

async function read(
  redis: RedisClient,
  key: string,
  type: string,
  needles: string[],
): Promise<(Partial<FoundKey> & { whole: boolean }) | null> {
  const whole = mentions(key, needles);
  const keep = (text: string) => whole || mentions(text, needles);
  switch (type) {
    case 'string': {
      const value = (await redis.get(key)) ?? '';
      return keep(value) ? { whole: true, string: value } : null;
    }
    case 'hash': {
      const all = await redis.hgetall(key);
      const hit = Object.fromEntries(Object.entries(all).filter(([f, v]) => keep(`${f}\n${v}`)));
      return Object.keys(hit).length ? { whole: whole || Object.keys(hit).length === Object.keys(all).length, hash: hit } : null;
    }
    case 'list': {
      const all = await redis.lrange(key, 0, -1);
      const hit = all.filter(keep);
      return hit.length ? { whole: whole || hit.length === all.length, list: hit } : null;
    }
    case 'set': {
      const all = await redis.smembers(key);
      const hit = all.filter(keep);
      return hit.length ? { whole: whole || hit.length === all.length, set: hit } : null;
    }
    case 'zset': {
      const flat = await redis.zrange(key, 0, -1, 'WITHSCORES');
      const all: [string, number][] = [];
      for (let i = 0; i < flat.length; i += 2) all.push([flat[i]!, Number(flat[i + 1])]);
      const hit = all.filter(([m]) => keep(m));
      return hit.length ? { whole: whole || hit.length === all.length, zset: hit } : null;
    }
    case 'stream': {
      const hit: [string, Record<string, string>][] = [];
      let total = 0;
      let start = '-';
      for (;;) {
        const batch = await redis.xrange(key, start, '+', 'COUNT', 1000);
        for (const [id, fields] of batch) {
          total++;
          if (keep(fields.join('\n'))) hit.push([id, Object.fromEntries(pairsOf(fields))]);
        }
        if (batch.length < 1000) break;
        start = `(${batch[batch.length - 1]![0]}`;
      }
      return hit.length ? { whole: whole || hit.length === total, stream: hit } : null;
    }
    default:
      return whole ? { whole: true } : null;
  }
}

function pairsOf(flat: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}

/** Jobs of every queue whose id, data or result names the person. */
export async function findJobs(redis: RedisClient, person: Person, s: ToolSettings): Promise<FoundJob[]> {
  const needles = needlesOf(person);
  const found: FoundJob[] = [];
  for (const name of Object.values(QueueName)) {
    const queue = new Queue(name, { connection: redis, prefix: s.queuePrefix });
    try {
      for (const job of await queue.getJobs(JOB_STATES, 0, -1)) {
        if (!job?.id) continue;
        const text = JSON.stringify([job.id, job.name, job.data, job.returnvalue, job.failedReason, job.stacktrace, job.opts]);
        if (!mentions(text, needles)) continue;
        found.push({ queue: name, id: job.id, name: job.name, state: await job.getState(), data: job.data, job });
      }
    } finally {
      await queue.close();
    }
  }
  return found;
}
