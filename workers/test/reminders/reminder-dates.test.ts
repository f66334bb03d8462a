// How reminders say an appointment's date (docs/reminders.md): Spanish, in the clinic's time zone.
import { ClinicDateFormatter } from '../../src/dialog/index.js';

describe('ClinicDateFormatter, as reminders say dates', () => {
  const f = new ClinicDateFormatter('America/La_Paz');
  it('writes dates the Spanish way in the clinic time zone', () => {
    // 11:00 on Wednesday 25 November in La Paz (UTC-4); the appointment is Thursday 08:30 local.
    const now = Date.parse('2026-11-25T15:00:00Z');
    expect(f.spoken('2026-11-26T12:30:00Z', now).full).toBe('mañana jueves 26 de noviembre a las 08:30');
    expect(f.spoken('2026-11-25T22:05:00Z', now).full).toBe('hoy miércoles 25 de noviembre a las 18:05');
    expect(f.spoken('2026-11-28T13:00:00Z', now)).toEqual({
      date: 'el sábado 28 de noviembre',
      time: '09:00',
      full: 'el sábado 28 de noviembre a las 09:00',
    });
    // 23:30 local on the 25th is already the 26th in UTC: the local calendar decides "mañana".
    expect(f.spoken('2026-11-27T03:30:00Z', now).date).toBe('mañana jueves 26 de noviembre');
    expect(f.spoken('2027-01-04T13:00:00Z', now).date).toBe('el lunes 4 de enero de 2027');
  });
});
