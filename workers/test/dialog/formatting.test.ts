import type { OutboundMessage } from '@medcita/shared';
import { mergeReplies } from '../../src/dialog/merge-replies.js';
import { ClinicDateFormatter } from '../../src/dialog/locale/dates.js';
import { clip } from '../../src/dialog/text-limits.js';
import { parseBirthDate } from '../../src/dialog/birth-date.js';

describe(ClinicDateFormatter.name, () => {
  it('shows instants in the clinic time zone as "jue 26 nov 08:30"', () => {
    const f = new ClinicDateFormatter('America/La_Paz');
    expect(f.short('2026-11-26T12:30:00.000Z')).toBe('jue 26 nov 08:30');
    expect(f.clock('2026-11-26T18:05:00.000Z')).toEqual({ hour: 14, minute: 5 });
    expect(new ClinicDateFormatter('Europe/Madrid').short('2026-11-26T12:30:00.000Z')).toBe('jue 26 nov 13:30');
  });

  it('formats a slot the same every time, also after more slots than it remembers (#14)', () => {
    const f = new ClinicDateFormatter('America/La_Paz');
    const first = '2026-11-26T12:30:00.000Z';
    expect(f.short(first)).toBe('jue 26 nov 08:30');
    expect(f.short(first)).toBe('jue 26 nov 08:30');
    const start = Date.parse(first);
    for (let i = 1; i <= 5_000; i++) f.short(new Date(start + i * 300_000).toISOString());
    expect(f.short(first)).toBe('jue 26 nov 08:30');
    expect(f.clock(first)).toEqual({ hour: 8, minute: 30 });
    expect(f.short(new Date(start + 5_000 * 300_000).toISOString())).toBe('dom 13 dic 17:10');
  });

  it('tells the clinic-local day, which is not the UTC one late in the evening', () => {
    const f = new ClinicDateFormatter('America/La_Paz');
    // 03:30 UTC on Wednesday is still Tuesday 23:30 in La Paz.
    expect(f.calendar('2026-11-25T03:30:00.000Z')).toEqual({ weekday: 2, day: 24, month: 11, year: 2026 });
    expect(new ClinicDateFormatter('Asia/Tokyo').calendar('2026-11-25T20:00:00.000Z')).toEqual({
      weekday: 4,
      day: 26,
      month: 11,
      year: 2026,
    });
  });

  it('clips to WhatsApp limits with an ellipsis', () => {
    expect(clip('Otorrinolaringología', 20)).toBe('Otorrinolaringología');
    expect(clip('Dr. Andrés Quispe Mamani · Clínica Illimani (La Paz) y algo más largo todavía', 24)).toHaveLength(24);
    expect(clip('abcdef', 4)).toBe('abc…');
  });
});

describe('parseBirthDate', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  it.each([
    ['12/04/1988', '1988-04-12'],
    ['12-4-1988', '1988-04-12'],
    ['1988-04-12', '1988-04-12'],
    ['nací el 5.2.01', '2001-02-05'],
    ['31/12/75', '1975-12-31'],
    ['12 de abril de 1988', '1988-04-12'],
    ['5 setiembre 2001', '2001-09-05'],
  ])('%s → %s', (text, iso) => expect(parseBirthDate(text, now)).toBe(iso));

  it.each(['31/02/1990', '12/13/1990', '01/01/2030', 'mañana', '1234567', '12 de nada de 1988'])('%s is not a birth date', (text) =>
    expect(parseBirthDate(text, now)).toBeUndefined(),
  );
});

describe('mergeReplies', () => {
  const text = (body: string): OutboundMessage => ({ kind: 'text', body });
  it('sends a repeated message once and joins consecutive texts into one bubble', () => {
    const list: OutboundMessage = { kind: 'list', body: 'b', buttonText: 'x', sections: [{ rows: [{ id: 'option:1', title: 't' }] }] };
    expect(mergeReplies([text('a'), text('a'), text('b'), list, text('c')])).toEqual([text('a\n\nb'), list, text('c')]);
  });

  it('keeps the latest when a burst would send too many', () => {
    const buttons = (n: number): OutboundMessage => ({ kind: 'buttons', body: `q${n}`, buttons: [{ id: 'affirm', title: 'Sí' }] });
    const merged = mergeReplies([1, 2, 3, 4, 5, 6].map(buttons));
    expect(merged.map((m) => (m.kind === 'buttons' ? m.body : ''))).toEqual(['q3', 'q4', 'q5', 'q6']);
  });
});
