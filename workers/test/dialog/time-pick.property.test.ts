/**
 * Property-based checks of "la de las 10" / "la del martes a las 9": whatever
 * list is on screen, in whatever time zone, the rows picked are exactly the
 * ones that start at that clinic-local time (3 may mean 15:00), narrowed by
 * a named day, and never depend on the order of the list.
 */
import fc from 'fast-check';
import type { DialogState, ShownEntry } from '../../src/dialog/dialog-state.js';
import { ClinicDateFormatter } from '../../src/dialog/locale/dates.js';
import { pickByTime } from '../../src/dialog/time-pick.js';
import type { NluResult } from '../../src/nlu/index.js';

type Mention = NluResult['entities']['dateTimes'][number];

const ZONES = ['America/La_Paz', 'America/Bogota', 'America/Santiago', 'Europe/Madrid', 'UTC'];
// 2030-03-04 12:00 UTC; slots within the following three weeks.
const NOW = Date.parse('2030-03-04T12:00:00.000Z');
const QUARTER = 15 * 60_000;

const slotArb = fc.integer({ min: 0, max: 21 * 24 * 4 }).map((q): ShownEntry => ({
  id: `slot:${q}`,
  startsAt: new Date(NOW + q * QUARTER).toISOString(),
  doctorName: 'Dra. Prueba',
  clinicName: 'Centro',
  specialty: 'cardiologia',
}));
const shownArb = fc.uniqueArray(slotArb, { minLength: 1, maxLength: 10, selector: (s) => s.id });
const timeArb = fc.record({ hour: fc.integer({ min: 0, max: 23 }), minute: fc.constantFrom(0, 15, 30, 45) });
const dayArb: fc.Arbitrary<Mention> = fc.oneof(
  fc.integer({ min: 0, max: 6 }).map((weekday) => ({ kind: 'weekday' as const, weekday, text: 'el día' })),
  fc.integer({ min: 1, max: 31 }).map((day) => ({ kind: 'date' as const, day, text: `el ${day}` })),
  fc.integer({ min: 0, max: 2 }).map((offsetDays) => ({ kind: 'relative_day' as const, offsetDays, text: 'mañana' })),
);

function nluWith(dateTimes: Mention[]): NluResult {
  return { intent: 'otro', confidence: 1, alternatives: [], entities: { dateTimes }, uncertain: false } as unknown as NluResult;
}
const listed = (shown: ShownEntry[]): DialogState => ({ step: 'CITAS_MOSTRADAS', shown });

/** Clinic-local clock read another way than the code does (en-US numbers), so a formatting quirk shows. */
function localClock(iso: string, timeZone: string): { hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: 'numeric', hourCycle: 'h23' }).formatToParts(
    new Date(iso),
  );
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  return { hour: get('hour') % 24, minute: get('minute') };
}
const atTime = (c: { hour: number; minute: number }, t: { hour: number; minute: number }) =>
  c.minute === t.minute && (c.hour === t.hour || c.hour === t.hour + 12);

describe('pickByTime over any list on screen', () => {
  it('picks exactly the rows at that time (or 12 h later) when no day is named', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), shownArb, timeArb, (zone, shown, time) => {
        const picked = pickByTime(
          'la de esa hora',
          nluWith([{ kind: 'time', ...time, text: 'a las' }]),
          listed(shown),
          new ClinicDateFormatter(zone),
          NOW,
        );
        const expected = shown.flatMap((s, i) => (atTime(localClock(s.startsAt, zone), time) ? [i + 1] : []));
        expect(picked).toEqual(expected);
      }),
      { numRuns: 1_000 },
    );
  });

  it('a named day only narrows the pick, and every row kept is at that time', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        shownArb,
        timeArb,
        fc.array(dayArb, { minLength: 1, maxLength: 2 }),
        (zone, shown, time, days) => {
          const formatter = new ClinicDateFormatter(zone);
          const timeOnly = pickByTime('x', nluWith([{ kind: 'time', ...time, text: 'a las' }]), listed(shown), formatter, NOW)!;
          const withDay = pickByTime('x', nluWith([...days, { kind: 'time', ...time, text: 'a las' }]), listed(shown), formatter, NOW)!;
          expect(withDay.every((i) => timeOnly.includes(i))).toBe(true);
          for (const i of withDay) expect(atTime(localClock(shown[i - 1]!.startsAt, zone), time)).toBe(true);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('picks the same slots whatever the order of the list', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        shownArb,
        timeArb,
        fc.option(dayArb, { nil: undefined }),
        fc.infiniteStream(fc.nat()),
        (zone, shown, time, day, rand) => {
          const formatter = new ClinicDateFormatter(zone);
          const nlu = nluWith([...(day ? [day] : []), { kind: 'time', ...time, text: 'a las' }]);
          const shuffled = [...shown];
          const r = rand[Symbol.iterator]();
          for (let i = shuffled.length - 1; i > 0; i--) {
            const j = r.next().value % (i + 1);
            [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
          }
          const ids = (list: ShownEntry[]) => new Set(pickByTime('x', nlu, listed(list), formatter, NOW)!.map((i) => list[i - 1]!.id));
          expect(ids(shuffled)).toEqual(ids(shown));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a bare "las H" typed in the list step means H:00, and no time (or no list) picks nothing', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), shownArb, fc.integer({ min: 0, max: 23 }), fc.string(), (zone, shown, hour, noise) => {
        const formatter = new ClinicDateFormatter(zone);
        const typed = pickByTime(`la de las ${hour}`, nluWith([]), listed(shown), formatter, NOW);
        const stated = pickByTime('x', nluWith([{ kind: 'time', hour, minute: 0, text: 'a las' }]), listed(shown), formatter, NOW);
        expect(typed).toEqual(stated);
        const noTime = noise.replace(/\d/g, '');
        expect(pickByTime(noTime, nluWith([]), listed(shown), formatter, NOW)).toBeUndefined();
        expect(pickByTime(`la de las ${hour}`, nluWith([]), { step: 'VALIDADO' }, formatter, NOW)).toBeUndefined();
      }),
      { numRuns: 1_000 },
    );
  });
});
