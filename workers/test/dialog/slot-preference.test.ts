import { loadSeedFile } from '../../src/clinic/builtin/seed-data.js';
import { clinicInfoOf } from '../../src/clinic/builtin/seed-info.js';
import { buildDirectory } from '../../src/dialog/preferences/clinic-directory.js';
import { readPreference } from '../../src/dialog/preferences/read-preference.js';
import { applyPreference, toFilters } from '../../src/dialog/preferences/slot-preference.js';
import { describePreference } from '../../src/dialog/preferences/describe.js';
import { es } from '../../src/dialog/locale/es.js';
import { readInfoQuestion } from '../../src/dialog/info/info-question.js';

// Monday 2030-03-04 08:00 in La Paz.
const NOW = Date.parse('2030-03-04T12:00:00.000Z');
const directory = buildDirectory(clinicInfoOf(loadSeedFile()));
const read = (text: string) => readPreference(text, { now: NOW, timeZone: 'America/La_Paz', directory });
const filters = (text: string) => toFilters(applyPreference(undefined, read(text)));

describe('slot preferences read from free text', () => {
  it.each([
    ['necesito una cita con el cardiólogo para el jueves en la tarde', { days: ['2030-03-07'], fromMinute: 720, toMinute: 1140 }],
    ['JUEBES x la tarde porfa', { days: ['2030-03-07'], fromMinute: 720, toMinute: 1140 }],
    ['mañana temprano', { days: ['2030-03-05'], fromMinute: 0, toMinute: 600 }],
    ['pasado mañana en la mañana', { days: ['2030-03-06'], fromMinute: 0, toMinute: 720 }],
    ['este sábado', { days: ['2030-03-09'] }],
    ['el lunes', { days: ['2030-03-11'] }],
    ['el 15', { days: ['2030-03-15'] }],
    ['el 2', undefined],
    ['15 de abril', { days: ['2030-04-15'] }],
    ['para el 3/3', { days: ['2031-03-03'] }],
    ['15/03 despues de las 5', { days: ['2030-03-15'], fromMinute: 1020 }],
    ['antes de las 10', { toMinute: 600 }],
    ['a las 4', { fromMinute: 960, toMinute: 1020 }],
    ['tipo a las 9:30', { fromMinute: 570, toMinute: 630 }],
    ['con la Dra. Romero', { doctorId: 'doc-15' }],
    ['quiero turno con el doctor salasar', { doctorId: 'doc-08' }],
    ['en Santa Cruz', { clinicId: 'cli-scz' }],
    ['en el tunari nomas', { clinicId: 'cli-cbba' }],
    ['la próxima semana', { days: ['2030-03-11', '2030-03-12', '2030-03-13', '2030-03-14', '2030-03-15', '2030-03-16', '2030-03-17'] }],
    ['el finde', { days: ['2030-03-09', '2030-03-10'] }],
  ])('%s', (text, expected) => {
    expect(filters(text)).toEqual(expected);
  });

  it('knows which specialty a named doctor implies', () => {
    expect(read('una ficha con la doctora romero')?.specialty).toBe('cardiologia');
  });

  it('changes or drops a preference mid-list', () => {
    const thursdayAfternoon = applyPreference(undefined, read('el jueves en la tarde'));
    const friday = applyPreference(thursdayAfternoon, read('mejor el viernes'));
    expect(toFilters(friday)).toEqual({ days: ['2030-03-08'], fromMinute: 720, toMinute: 1140 });
    expect(toFilters(applyPreference(friday, read('cualquier día nomás')))).toEqual({ fromMinute: 720, toMinute: 1140 });
    expect(toFilters(applyPreference(friday, read('lo que haya nomás, lo más pronto')))).toBeUndefined();
    expect(toFilters(applyPreference(friday, read('hoy no puedo')))).toEqual({ fromMinute: 720, toMinute: 1140 });
  });

  it('reads nothing in messages without a preference', () => {
    for (const text of ['hola', 'sí dale', 'me duele la cabeza', 'cuánto cuesta la consulta', 'la 3', 'gracias 🙏']) {
      expect(read(text)).toBeUndefined();
    }
  });

  it('says what was applied', () => {
    const p = applyPreference(undefined, read('el jueves en la tarde con la dra romero en santa cruz'));
    expect(describePreference(p, es)).toBe('jueves 7/3 por la tarde · Dra. Natalia Romero Saavedra · Centro Médico Guapay (Santa Cruz)');
    expect(describePreference(applyPreference(undefined, read('mañana después de las 5')), es)).toBe('mañana después de las 17:00');
  });
});

describe('clinic questions read from free text', () => {
  it.each([
    ['cuánto cuesta la consulta?', ['price']],
    ['dónde queda la clínica y a qué hora abren', ['address', 'hours']],
    ['donde es eso?', ['address']],
    ['a q hora atienden el sabado', ['hours']],
    ['tienen telefono?', ['phone']],
    ['aceptan caja nacional?', ['insurance']],
    ['q tengo q llevar', ['bring']],
    ['hay q ir en ayunas?', ['preparation']],
    ['quiero una cita con el cardiólogo', []],
    ['donde sea nomás', []],
    ['no estoy seguro si es el cardiologo', []],
    ['me costo dormir toda la semana', []],
    ['cual es el costo?', ['price']],
    ['trabajan con seguro?', ['insurance']],
    ['otro horario', []],
  ])('%s', (text, topics) => {
    expect(readInfoQuestion(text)).toEqual(topics);
  });
});
