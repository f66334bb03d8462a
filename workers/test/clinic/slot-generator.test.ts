import { loadSeedFile, parseSeedData, type SeedData } from '../../src/clinic/builtin/seed-data.js';
import { generateSlots } from '../../src/clinic/builtin/slot-generator.js';
import { FIXED_NOW } from './clinic-test-kit.js';

describe(generateSlots.name, () => {
  const demo = loadSeedFile();
  const window = { now: FIXED_NOW, timeZone: 'America/La_Paz', days: 14 };

  it('places clinic-local schedule times at the right UTC instant and skips slots already started', () => {
    const slots = generateSlots(demo, window).filter((s) => s.doctorId === 'doc-01');
    // FIXED_NOW is Monday 08:00 in La Paz (UTC-4): the 08:00 slot has started, 08:20 is the first one left.
    expect(slots[0]).toEqual({
      id: 'doc-01-203003040820',
      specialty: 'medicina_general',
      doctorId: 'doc-01',
      doctorName: 'Dr. Andrés Quispe Mamani',
      clinicId: 'cli-lpz',
      clinicName: 'Clínica Illimani (La Paz)',
      startsAt: '2030-03-04T12:20:00.000Z',
      endsAt: '2030-03-04T12:40:00.000Z',
    });
  });

  it('covers 14 calendar days from today and only the doctors’ working days', () => {
    const slots = generateSlots(demo, window);
    const last = slots.at(-1)!;
    expect(last.startsAt < '2030-03-18T04:00:00.000Z').toBe(true);
    expect(slots.some((s) => s.startsAt.startsWith('2030-03-16'))).toBe(true); // Saturday clinics
    expect(slots.some((s) => s.doctorId === 'doc-11' && !/^2030-03-(06|13)/.test(s.startsAt))).toBe(false); // Wednesdays only
  });

  it('is deterministic, so re-seeding in any process yields the same slot ids', () => {
    expect(generateSlots(demo, window)).toEqual(generateSlots(demo, { ...window }));
    const ids = generateSlots(demo, window).map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps local opening hours across a daylight-saving change', () => {
    const seed: SeedData = {
      ...demo,
      doctors: [
        {
          id: 'doc-x',
          name: 'Dra. Horario',
          specialty: 'medicina_general',
          clinicId: 'cli-lpz',
          slotMinutes: 60,
          schedule: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '09:00', to: '10:00' }],
        },
      ],
    };
    // Madrid moves from UTC+1 to UTC+2 on Sunday 2030-03-31.
    const starts = generateSlots(seed, { now: Date.parse('2030-03-29T12:00:00Z'), timeZone: 'Europe/Madrid', days: 4 }).map(
      (s) => s.startsAt,
    );
    expect(starts).toEqual(['2030-03-30T08:00:00.000Z', '2030-03-31T07:00:00.000Z', '2030-04-01T07:00:00.000Z']);
  });
});

describe(parseSeedData.name, () => {
  it('names every problem in a bad seed file at once', () => {
    const demo = loadSeedFile();
    const bad = {
      ...demo,
      doctors: [{ ...demo.doctors[0]!, clinicId: 'nowhere' }],
      patients: [{ ...demo.patients[0]!, phone: '+591 700', documentNumber: '1.234.567' }],
    };
    expect(() => parseSeedData(bad, 'bad.json')).toThrow(
      /unknown clinic "nowhere"[\s\S]*documentNumber must be normalized[\s\S]*phone must be 8-15 digits/,
    );
  });
});
