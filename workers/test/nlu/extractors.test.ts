import { extractDateTimes } from '../../src/nlu/extractors/datetime.js';
import { extractDocument } from '../../src/nlu/extractors/document.js';
import { extractOption, optionFromReplyId } from '../../src/nlu/extractors/option.js';
import { extractSpecialtyName } from '../../src/nlu/extractors/specialty-name.js';
import { extractYesNo } from '../../src/nlu/extractors/yes-no.js';
import { normalize } from '../../src/nlu/normalize.js';

describe('extractDocument', () => {
  it.each([
    ['1023456789', '1023456789'],
    ['mi cedula es 1.023.456.789', '1023456789'],
    ['CC 52 345 678 gracias', '52345678'],
    ['documento: 10-234-567', '10234567'],
    ['dni 123456', '123456'],
  ])('finds the document in %j', (text, expected) => {
    expect(extractDocument(text)).toBe(expected);
  });

  it.each([
    ['12345'],
    ['la 3'],
    ['a las 10:30 del 15/05/2025'],
    ['cuesta $150.000?'],
    ['mi celular es +57 300 123 4567'],
    ['1234567890123456'],
  ])('finds none in %j', (text) => {
    expect(extractDocument(text)).toBeUndefined();
  });
});

describe('extractOption', () => {
  it.each([
    ['3', 3],
    ['la 3', 3],
    ['La 3.', 3],
    ['el 2 porfa', 2],
    ['tercera', 3],
    ['la tercera opción', 3],
    ['opción tres', 3],
    ['opcion 10', 10],
    ['#4', 4],
    ['quiero la 5', 5],
    ['me quedo con la 2', 2],
    ['dos', 2],
  ])('%j picks %d', (text, expected) => {
    expect(extractOption(text)).toBe(expected);
  });

  it.each([
    ['es la primera vez que pido cita'],
    ['espera un segundo'],
    ['quiero cita a las 3 de la tarde'],
    ['hola'],
    ['tengo 2 hijos con fiebre'],
    ['1023456789'],
  ])('finds no pick in %j', (text) => {
    expect(extractOption(text)).toBeUndefined();
  });

  it('reads the row number of list reply ids and nothing else', () => {
    expect(optionFromReplyId('option:7')).toBe(7);
    expect(optionFromReplyId('slot-2')).toBe(2);
    expect(optionFromReplyId('affirm')).toBeUndefined();
  });
});

describe('extractYesNo', () => {
  it.each([
    'si',
    'sí',
    'siii',
    'Sii!!',
    'dale',
    'Dale pues',
    'ok',
    'okey',
    '👍',
    '👌',
    'si 👍',
    'claro que si',
    'de una',
    'si por favor',
    'listo',
  ])('%j is yes', (text) => expect(extractYesNo(text)).toBe('yes'));

  it.each(['no', 'Noo', 'nel', 'nop', '👎', '❌', 'no gracias', 'no, gracias', 'negativo'])('%j is no', (text) =>
    expect(extractYesNo(text)).toBe('no'),
  );

  it.each(['si pero mejor otro dia', 'no puedo ir', 'ok gracias', 'si no', 'no se', 'quiero una cita', ''])(
    '%j is neither (the classifier decides)',
    (text) => expect(extractYesNo(text)).toBeUndefined(),
  );
});

describe('extractDateTimes', () => {
  it('reads tomorrow versus the morning', () => {
    expect(extractDateTimes('mañana en la mañana')).toEqual([
      { kind: 'relative_day', offsetDays: 1, text: 'manana' },
      { kind: 'part_of_day', part: 'manana', text: 'en la manana' },
    ]);
    expect(extractDateTimes('pasado mañana')).toEqual([{ kind: 'relative_day', offsetDays: 2, text: 'pasado manana' }]);
  });

  it('reads weekdays, numeric and written dates', () => {
    expect(extractDateTimes('el miércoles 15/05')).toEqual([
      { kind: 'weekday', weekday: 3, text: 'miercoles' },
      { kind: 'date', day: 15, month: 5, text: '15/05' },
    ]);
    expect(extractDateTimes('para el 3 de junio')).toEqual([{ kind: 'date', day: 3, month: 6, text: '3 de junio' }]);
    expect(extractDateTimes('el dia 5')).toEqual([{ kind: 'date', day: 5, text: 'el dia 5' }]);
    expect(extractDateTimes('20/13')).toEqual([]);
  });

  it('reads times in 24 hours when the part of day says so', () => {
    expect(extractDateTimes('a las 3 de la tarde')).toEqual([{ kind: 'time', hour: 15, minute: 0, text: 'a las 3 de la tarde' }]);
    expect(extractDateTimes('10:30 pm')).toEqual([{ kind: 'time', hour: 22, minute: 30, text: '10:30 pm' }]);
    expect(extractDateTimes('a las 9 y media')).toEqual([{ kind: 'time', hour: 9, minute: 30, text: 'a las 9 y media' }]);
    expect(extractDateTimes('tipo 8am')).toEqual([{ kind: 'time', hour: 8, minute: 0, text: '8am' }]);
  });

  it('reads next week and the afternoon', () => {
    const kinds = extractDateTimes('la semana que viene por la tarde').map((m) => m.kind);
    expect(kinds).toEqual(['relative_week', 'part_of_day']);
  });

  it('finds nothing in a message without dates', () => {
    expect(extractDateTimes('me duele la muela')).toEqual([]);
  });
});

describe('extractSpecialtyName', () => {
  it.each([
    ['cita con el dermatólogo', 'dermatologia'],
    ['turno con cardiologia', 'cardiologia'],
    ['necesito al de los ojos', 'oftalmologia'],
    ['quiero ir al sicologo', 'psicologia'],
    ['una cita con el otorrino', 'otorrinolaringologia'],
    ['al medico general', 'medicina_general'],
    ['necesito un dentista', 'odontologia'],
  ])('%j names %s', (text, expected) => {
    expect(extractSpecialtyName(normalize(text))).toBe(expected);
  });

  it('does not read "la clínica" as the GP, nor gastritis as gastro, nor two names as one', () => {
    expect(extractSpecialtyName(normalize('donde queda la clinica'))).toBeUndefined();
    expect(extractSpecialtyName(normalize('tengo gastritis'))).toBeUndefined();
    expect(extractSpecialtyName(normalize('cardiologo o dermatologo'))).toBeUndefined();
  });
});

describe('extractDateTimes on slot picks', () => {
  it('reads "la de las 10" as a time, not as a list pick', () => {
    expect(extractDateTimes('quiero la de las 10')).toEqual([{ kind: 'time', hour: 10, minute: 0, text: 'las 10' }]);
    expect(extractOption('quiero la de las 10')).toBeUndefined();
  });
});
