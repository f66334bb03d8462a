import type { SpecialtyLabel } from '../labels.js';

// Names people use for a specialty or its doctor, on normalized text (accents
// folded, lowercase). "clinica" (the clinic) is not "clinico" (the GP).
const NAMES: ReadonlyArray<[SpecialtyLabel, RegExp]> = [
  [
    'medicina_general',
    /\b(?:medic[oa]s? general(?:es)?|medicina general|medic[oa] de (?:familia|cabecera)|medicina familiar|medic[oa] clinic[oa]|clinic[oa] general|clinico)\b/,
  ],
  ['cardiologia', /\bcardio(?:log[oa]s?|logia)?\b|\b(?:el|la|al) del corazon\b/],
  ['pediatria', /\bpediatr(?:a|as|ia)\b|\b(?:el|la|al) de (?:los )?ninos\b/],
  ['ginecologia', /\bgineco(?:log[oa]s?|logia)?\b|\bobstetr(?:a|icia)\b/],
  ['dermatologia', /\bdermato(?:log[oa]s?|logia)?\b|\b(?:el|la|al) de la piel\b/],
  ['traumatologia', /\btraumato(?:log[oa]s?|logia)?\b|\bortopedi(?:a|sta)\b|\b(?:el|la|al) de los huesos\b/],
  ['odontologia', /\bodontolog(?:o|a|ia)s?\b|\bdentistas?\b|\b(?:el|la|al) de los dientes\b/],
  ['oftalmologia', /\bofta?l?molog(?:o|a|ia)s?\b|\boculistas?\b|\b(?:el|la|al) de los ojos\b/],
  ['neumologia', /\bneumo(?:log[oa]s?|logia)\b|\bneumonolog(?:o|a|ia)\b|\b(?:el|la|al) de los pulmones\b/],
  ['gastroenterologia', /\bgastro(?:enterolog[oa]s?|enterologia)?\b/],
  ['psicologia', /\bp?sicolog(?:o|a|ia)s?\b|\bpsiquiatr(?:a|ia)\b|\bterapeuta\b/],
  ['otorrinolaringologia', /\botorrino(?:laringolog(?:o|a|ia)s?)?\b|\b(?:el|la|al) de (?:los )?oidos\b/],
];

// One pass to rule out the common case (no specialty named) before the dozen patterns.
const MAYBE_NAME =
  /cardio|pediatr|gineco|obstetr|dermato|traumato|ortoped|odontolog|dentist|ofta?l?molog|oculist|neumo|gastro|sicolog|psiquiatr|terapeut|otorrino|medic|clinico|del corazon| de (?:la|los) /;

/**
 * The specialty a message names outright ("cita con el dermatólogo", "el de
 * los ojos"), or undefined. Only when exactly one specialty is named.
 */
export function extractSpecialtyName(normalizedText: string): SpecialtyLabel | undefined {
  if (!MAYBE_NAME.test(normalizedText)) return undefined;
  const found = NAMES.filter(([, pattern]) => pattern.test(normalizedText)).map(([label]) => label);
  return found.length === 1 ? found[0] : undefined;
}
