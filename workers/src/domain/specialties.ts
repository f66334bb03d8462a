/**
 * The medical specialties of docs/product.md ("Vocabulary"): the one vocabulary the NLU labels, the
 * clinic backend and the dialog share. Stored in artifacts and clinic data.
 */
export const SPECIALTY_CODES = [
  'medicina_general',
  'cardiologia',
  'pediatria',
  'ginecologia',
  'dermatologia',
  'traumatologia',
  'odontologia',
  'oftalmologia',
  'neumologia',
  'gastroenterologia',
  'psicologia',
  'otorrinolaringologia',
] as const;

export type SpecialtyCode = (typeof SPECIALTY_CODES)[number];

export function isSpecialtyCode(value: string): value is SpecialtyCode {
  return (SPECIALTY_CODES as readonly string[]).includes(value);
}
