import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Patient } from '../../src/clinic/clinic-port.js';
import { loadSeedFile, type SeedData } from '../../src/clinic/builtin/seed-data.js';
import { testRedis } from '@medcita/testkit';

/** Monday 2030-03-04 08:00 in La Paz: every generated slot lies ahead of this fixed "now". */
export const FIXED_NOW = Date.parse('2030-03-04T12:00:00.000Z');
export const fixedClock = () => FIXED_NOW;

export function connectTestRedis(): Redis {
  return testRedis();
}

/** A prefix no other test (or engineer) shares; its hash tag keeps the store in one cluster slot. */
export function uniquePrefix(): string {
  return `test:{clinic-${randomUUID()}}`;
}

/** Deletes only this test's keys. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}:*`;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

/** The bundled demo data plus `extra` invented patients (for races between many patients). */
export function testSeed(extra = 50): SeedData {
  const seed = loadSeedFile();
  const patients: Patient[] = Array.from({ length: extra }, (_, i) => ({
    id: `pac-t${String(i).padStart(3, '0')}`,
    documentNumber: String(8_000_000 + i),
    firstName: `Paciente ${i}`,
    lastName: 'De Prueba',
    phone: `591710${String(i).padStart(5, '0')}`,
    birthDate: '1990-01-01',
  }));
  return { ...seed, patients: [...seed.patients, ...patients] };
}

/** Polls until `check` holds; for effects of real Redis TTLs, never to assert speed. */
export async function eventually(check: () => Promise<boolean>, limitMs = 10_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * What a client sends, without MONITOR: `trips()` lists round trips in order
 * (a pipeline or MULTI is one, a script is one whatever it runs inside
 * Redis), and `events()` tells sends and replies apart, so a test sees which
 * reads were in flight together.
 */
export function recordCommands(redis: Redis): { trips(): string[][]; events(): string[]; clear(): void } {
  let trips: string[][] = [];
  let events: string[] = [];
  const pipelines = new WeakMap<object, string[]>();
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = (...[command, stream]: Parameters<Redis['sendCommand']>) => {
    // Until the connection is ready, commands wait in a queue and pass here again when it is.
    if (redis.status !== 'ready') return send(command, stream);
    const name = command.name.toLowerCase();
    const pipeline = (stream as { isPipeline?: boolean } | undefined)?.isPipeline ? (stream as object) : undefined;
    let trip = pipeline && pipelines.get(pipeline);
    if (!trip) {
      trip = [];
      trips.push(trip);
      if (pipeline) pipelines.set(pipeline, trip);
    }
    trip.push(name);
    events.push(`send ${name}`);
    const replied = () => void events.push(`reply ${name}`);
    command.promise.then(replied, replied);
    return send(command, stream);
  };
  return {
    trips: () => trips.filter((t) => t.length > 0),
    events: () => events,
    clear: () => {
      trips = [];
      events = [];
    },
  };
}
