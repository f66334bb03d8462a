import { findRelative } from '../../src/dialog/family-mention.js';
import { parseName } from '../../src/dialog/full-name.js';

describe(findRelative.name, () => {
  it.each([
    ['es para mi hijo de 5 años', { relation: 'hijo', ageYears: 5 }],
    ['mi mamá necesita cardiólogo', { relation: 'mamá' }],
    ['es para mi nena', { relation: 'nena' }],
    ['Necesito ficha para la nena de 2 añitos 🙏', { relation: 'nena', ageYears: 2 }],
    ['mi bebe de 8 meses tiene fiebre', { relation: 'bebé', ageMonths: 8 }],
    ['turno pa mi abuelita, tiene 80 años', { relation: 'abuelita', ageYears: 80 }],
    ['MI ESPOSO se torció el tobillo', { relation: 'esposo' }],
    ['para mis hijos', { relation: 'hijo' }],
  ])('%s', (text, expected) => {
    expect(findRelative(text)).toEqual(expected);
  });

  it.each(['necesito cardiología', 'voy con mi mamá a la cita', 'para mí', 'me duele la cabeza'])('no relative in "%s"', (text) => {
    expect(findRelative(text)).toBeUndefined();
  });
});

describe(parseName.name, () => {
  it.each([
    ['Pedro Quispe', { firstName: 'Pedro', lastName: 'Quispe' }],
    ['me llamo ana maría rojas pérez', { firstName: 'Ana María', lastName: 'Rojas Pérez' }],
    ['Juan de la Cruz', { firstName: 'Juan', lastName: 'de la Cruz' }],
    ['mi nombre es LUIS FERNANDO MAMANI', { firstName: 'Luis', lastName: 'Fernando Mamani' }],
    ['Sofía Demo, 12/03/2021', { firstName: 'Sofía', lastName: 'Demo' }],
  ])('%s', (text, expected) => {
    expect(parseName(text, { minWords: 2 })).toEqual(expected);
  });

  it('reads a single given name only when one word is enough', () => {
    expect(parseName('sofi 😊', { minWords: 1 })).toEqual({ firstName: 'Sofi', lastName: '' });
    expect(parseName('Sofía', { minWords: 2 })).toBeUndefined();
  });

  it.each(['sí', 'acepto', 'no sé', 'dale', 'cuánto cuesta', 'quiero cancelar', '1234567', 'ok gracias'])('"%s" is not a name', (text) => {
    expect(parseName(text, { minWords: 1 })).toBeUndefined();
  });
});
