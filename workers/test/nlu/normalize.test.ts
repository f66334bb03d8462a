import { normalize, phoneticKey } from '../../src/nlu/normalize.js';

describe('normalize', () => {
  it.each([
    ['Holaaa!!! 👋', 'hola _emo_saludo_'],
    ['¿Cuándo es mi CITA?', 'cuando es mi cita'],
    ['graciasss 🙏🙏', 'gracias _emo_gracias_ _emo_gracias_'],
    ['siii 👍', 'si _emo_si_'],
    ['Me duele la muela 🦷', 'me duele la muela diente'],
    ['mi bebé 👶 tiene fiebre', 'mi bebe bebe tiene fiebre'],
    ['q hago x favor', 'que hago por favor'],
    ['porfa xq no me responden', 'por favor porque no me responden'],
    ['jajajaja', '_risa_'],
    ['año pequeño', 'ano pequeno'],
  ])('%j → %j', (input, expected) => {
    expect(normalize(input)).toBe(expected);
  });

  it('keeps the double letters Spanish really has', () => {
    expect(normalize('llamar perro acción leer coordinar')).toBe('llamar perro accion leer coordinar');
  });

  it('maps document numbers, times, dates and small numbers to placeholders', () => {
    expect(normalize('mi cedula es 1.023.456.789')).toBe('mi cedula es _doc_');
    expect(normalize('CC 52 345 678')).toBe('cc _doc_');
    expect(normalize('a las 10:30 el 15/05')).toBe('a las _hora_ el _fecha_');
    expect(normalize('a las 3pm')).toBe('a las _hora_');
    expect(normalize('la 3')).toBe('la _num_');
  });

  it('turns a message of only punctuation into nothing', () => {
    expect(normalize('...?!')).toBe('');
  });
});

describe('phoneticKey', () => {
  it.each([
    ['cita', 'sita'],
    ['quiero', 'kiero'],
    ['cabeza', 'cabesa'],
    ['vomito', 'bomito'],
    ['llamar', 'yamar'],
    ['hora', 'ora'],
    ['gente', 'jente'],
  ])('spells %j and %j the same', (a, b) => {
    expect(phoneticKey(a)).toBe(phoneticKey(b));
  });

  it('leaves placeholders alone', () => {
    expect(phoneticKey('_emo_si_')).toBe('_emo_si_');
  });
});
