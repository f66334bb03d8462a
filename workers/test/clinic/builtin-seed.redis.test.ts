import { BuiltinClinic } from '../../src/clinic/builtin/builtin-clinic.js';
import { FIXED_NOW, connectTestRedis, deleteKeys, eventually, testSeed, uniquePrefix } from './clinic-test-kit.js';

const redis = connectTestRedis();
afterAll(async () => {
  await redis.quit();
});

const DAY = 24 * 3600_000;

describe('BuiltinClinic seeding', () => {
  let prefix: string;
  let now: number;
  let clinic: BuiltinClinic;

  beforeEach(() => {
    prefix = uniquePrefix();
    now = FIXED_NOW;
    clinic = new BuiltinClinic({ redis, seed: testSeed(0), keyPrefix: prefix, timeZone: 'America/La_Paz', clock: () => now });
  });
  afterEach(async () => {
    await deleteKeys(redis, prefix);
  });

  it('can run again without duplicating slots or losing bookings and holds', async () => {
    await clinic.seed();
    const slotCount = await redis.hlen(clinic.keys.slots);
    const [booked, held] = (await clinic.listFreeSlots({ specialty: 'dermatologia', page: 1, pageSize: 2 })).slots;
    const result = await clinic.book({ slotId: booked!.id, patientId: 'pac-001', holderId: 's1', idempotencyKey: 'k1' });
    expect(result.ok).toBe(true);
    expect((await clinic.holdSlot(held!.id, 's2', 60)).ok).toBe(true);

    await clinic.seed();
    await new BuiltinClinic({ redis, seed: testSeed(0), keyPrefix: prefix, timeZone: 'America/La_Paz', clock: () => now }).seed();

    expect(await redis.hlen(clinic.keys.slots)).toBe(slotCount);
    expect((await clinic.listAppointments('pac-001')).map((a) => a.slot.id)).toEqual([booked!.id]);
    expect(await clinic.holdSlot(held!.id, 's3', 60)).toEqual({ ok: false, reason: 'held' });
    const free = await clinic.listFreeSlots({ specialty: 'dermatologia', page: 1, pageSize: 10, holderId: 's3' });
    expect(free.slots.map((s) => s.id)).not.toContain(booked!.id);
  });

  it('writes no :specialties key: the specialties are served from the seed in memory', async () => {
    await clinic.seed();
    expect(await redis.hlen(clinic.keys.slots)).toBeGreaterThan(0);
    expect(await redis.exists(`${prefix}:specialties`)).toBe(0);
  });

  it('rolls the 14-day window forward as days pass, in a long-running process', async () => {
    const fourteenthDayOnward = new Date(FIXED_NOW + 14 * DAY).toISOString();
    const query = { specialty: 'medicina_general', from: fourteenthDayOnward, page: 1, pageSize: 10 } as const;
    expect((await clinic.listFreeSlots(query)).slots).toEqual([]);
    now += DAY;
    const next = await clinic.listFreeSlots(query);
    expect(next.slots.length).toBeGreaterThan(0);
  });

  it('drops slots that ended more than a day ago, keeping appointments intact', async () => {
    const { slots } = await clinic.listFreeSlots({ specialty: 'medicina_general', page: 1, pageSize: 1 });
    const first = slots[0]!;
    const booked = await clinic.book({ slotId: first.id, patientId: 'pac-001', holderId: 's1', idempotencyKey: 'k1' });
    if (!booked.ok) throw new Error('booking failed');
    now += 3 * DAY;
    await clinic.listFreeSlots({ specialty: 'medicina_general', page: 1, pageSize: 1 });
    expect(await redis.hexists(clinic.keys.slots, first.id)).toBe(0);
    const stillThere = await clinic.confirmAppointment({ appointmentId: booked.appointment.id, patientId: 'pac-001' });
    expect(stillThere).toEqual({ ok: false, reason: 'too_late' });
  });

  describe('when started with the worker', () => {
    // Tuesday 2030-03-05 00:00 in La Paz (UTC-4, no daylight saving).
    const MIDNIGHT = Date.parse('2030-03-05T04:00:00.000Z');
    const hasDay = async (compact: string) => (await redis.hkeys(clinic.keys.slots)).some((id) => id.includes(`-${compact}`));

    afterEach(async () => {
      await clinic.stop();
    });

    it('seeds at once, and rolls the window forward at midnight with no call from a patient', async () => {
      now = MIDNIGHT - 300;
      await clinic.start();
      expect(await redis.hlen(clinic.keys.slots)).toBeGreaterThan(0);
      expect(await hasDay('20300318')).toBe(false);

      now = MIDNIGHT + 1_000;
      // Only the timer runs from here: nothing calls the clinic.
      await eventually(() => hasDay('20300318'), 5_000);
    });

    it('leaves the first call of the day nothing to write, nor any read for static data', async () => {
      now = FIXED_NOW;
      await clinic.start();
      const slots = await redis.hlen(clinic.keys.slots);
      await redis.del(clinic.keys.patientsByPhone);
      await clinic.listFreeSlots({ specialty: 'dermatologia', page: 1, pageSize: 2 });
      await clinic.findPatientByDocument('1234567');
      // Static data comes from the seed in memory, with no read of the store.
      expect((await clinic.listSpecialties()).map((x) => x.code)).toEqual(testSeed(0).specialties.map((x) => x.code));
      // A seed would have written the phone index again.
      expect(await redis.exists(clinic.keys.patientsByPhone)).toBe(0);
      expect(await redis.hlen(clinic.keys.slots)).toBe(slots);
    });
  });
});
