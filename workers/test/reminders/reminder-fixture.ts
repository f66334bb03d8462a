import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createLogger } from '@medcita/shared';
import { FakeGraphApi } from '@medcita/testkit/simulator';
import { BuiltinClinic, type Appointment, type Slot } from '../../src/clinic/index.js';
import { es } from '../../src/dialog/index.js';
import { ReminderService, ReminderStore, type SendReminderJob } from '../../src/reminders/index.js';
import { GraphClient } from '../../src/whatsapp/index.js';
import { connectTestRedis, deleteKeys, FIXED_NOW, testSeed } from '../clinic/clinic-test-kit.js';

export const PN = '106540352242922';
const TOKEN = 'reminder-test-token';
export const HOUR = 3_600_000;
export const logger = createLogger({ level: 'silent', service: 'test' });

const seed = testSeed(5);
export const patient = (i: number) => seed.patients[seed.patients.length - 5 + i]!;
export const startOf = (a: Appointment | undefined) => Date.parse(a!.slot.startsAt);

export interface ReminderFixture {
  redis: Redis;
  prefix: string;
  clinic: BuiltinClinic;
  graph: FakeGraphApi;
  store: ReminderStore;
  service: ReminderService;
  /** The reminder jobs the service enqueued, by job id. */
  queued: Map<string, SendReminderJob>;
  /** The clinic's clock: FIXED_NOW when each test starts; the test may move it. */
  now: number;
  /** Books the first free slots of `specialty` starting at or after `from` for patients 0..n-1. */
  book(n: number, from: number, specialty?: Slot['specialty']): Promise<Appointment[]>;
}

/**
 * Registers the hooks of a reminders suite (call it in a describe block): real
 * Redis under a fresh prefix per test, the builtin clinic on the test's clock,
 * a fake Graph API, and a ReminderService whose queue is a map (`queued`).
 */
export function useReminderFixture(): ReminderFixture {
  const t = { redis: connectTestRedis() } as ReminderFixture;
  const { redis } = t;

  beforeAll(async () => {
    t.graph = await FakeGraphApi.start({ accessToken: TOKEN });
  });
  afterAll(async () => {
    await t.graph.close();
    redis.disconnect();
  });

  beforeEach(() => {
    t.prefix = `test:{rem-${randomUUID()}}`;
    t.now = FIXED_NOW;
    t.graph.reset();
    const clinic = (t.clinic = new BuiltinClinic({ redis, seed, keyPrefix: t.prefix, timeZone: 'America/La_Paz', clock: () => t.now }));
    const store = (t.store = new ReminderStore(redis, t.prefix));
    const queued = (t.queued = new Map<string, SendReminderJob>());
    const sender = new GraphClient({
      baseUrl: t.graph.url,
      version: 'v23.0',
      accessToken: TOKEN,
      timeoutMs: 1_000,
      redis,
      keyPrefix: t.prefix,
      limiter: { perSecond: 1000 },
      retry: { baseMs: 10, maxMs: 50 },
      logger,
    });
    t.service = new ReminderService(
      {
        clinic,
        sender,
        store,
        redis,
        texts: es,
        logger,
        queue: {
          add: async (_name, data, opts) => {
            if (opts.jobId.includes(':')) throw new Error('BullMQ: Custom Id cannot contain :');
            if (!queued.has(opts.jobId)) queued.set(opts.jobId, data);
          },
        },
      },
      {
        phoneNumberId: PN,
        leadMs: 24 * HOUR,
        intervalMs: 300_000,
        minNoticeMs: 2 * HOUR,
        templateName: 'recordatorio_cita',
        templateLanguage: 'es',
        timeZone: 'America/La_Paz',
        keyPrefix: t.prefix,
      },
    );
  });
  afterEach(() => deleteKeys(redis, t.prefix));

  t.book = async (n: number, from: number, specialty: Slot['specialty'] = 'cardiologia'): Promise<Appointment[]> => {
    const page = await t.clinic.listFreeSlots({ specialty, from: new Date(from).toISOString(), page: 1, pageSize: 10 });
    const out: Appointment[] = [];
    for (let i = 0; i < n; i++) {
      const r = await t.clinic.book({
        slotId: page.slots[i]!.id,
        patientId: seed.patients[seed.patients.length - 5 + i]!.id,
        holderId: `h${i}`,
        idempotencyKey: randomUUID(),
      });
      if (!r.ok) throw new Error(r.reason);
      out.push(r.appointment);
    }
    return out;
  };
  return t;
}
