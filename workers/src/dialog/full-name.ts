/**
 * A person's name as typed in answer to "¿cómo te llamas?": "Pedro Quispe",
 * "me llamo ana maría rojas", "Sofía, 12/03/2020". Returns nothing for
 * answers that are not a name ("sí", "acepto", "no sé", a question), so the
 * dialog can read those as what they are.
 */
export interface PersonName {
  firstName: string;
  lastName: string;
}

const LEAD =
  /^(?:(?:hola|ok|bueno|ya|dale)[,!.\s]+)?(?:(?:me llamo|mi nombre (?:completo )?es|mi nombre|nombre completo|nombre|soy|se llama|su nombre es|es|el nombre es)\s*:?\s+)/i;
const DATES = [
  /\d{1,4}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}/g,
  /\d{1,2}\s+de\s+[a-záéíóú]+(?:\s+(?:de|del)\s+|\s+)\d{4}/gi,
  /(?:naci[oó]|nacid[oa]|naci|fecha de nacimiento|nacimiento)\s*(?:el|:)?/gi,
];
const PARTICLES = new Set(['de', 'del', 'la', 'las', 'los', 'y', 'da', 'dos', 'van', 'von']);
// Words that make a message something other than a name.
const NOT_NAMES = new Set(
  (
    'si sí no ok okay dale acepto aceptar aceptó hola buenas buenos gracias quiero necesito cita ficha turno cancelar cancela ' +
    'ayuda menu menú listo bueno claro vale persona humano doctor doctora otro otra para yo mi mis es tiene años ' +
    'hijo hija mama mamá papa papá cuanto cuánto donde dónde que qué como cómo cuando cuándo porque por favor perdón nose ' +
    'sé se registrar registrarme registro quien quién ver más mas hoy mañana tarde noche'
  ).split(' '),
);

function titleCase(word: string, first: boolean): string {
  const lower = word.toLocaleLowerCase('es');
  if (!first && PARTICLES.has(lower)) return lower;
  return lower.replace(/(^|[-'])(\p{L})/gu, (_, sep: string, ch: string) => sep + ch.toLocaleUpperCase('es'));
}

export function parseName(text: string, opts: { minWords: number }): PersonName | undefined {
  let t = text.replace(/\p{Extended_Pictographic}|\uFE0F/gu, ' ');
  for (const d of DATES) t = t.replace(d, ' ');
  t = t
    .replace(LEAD, '')
    .replace(/[,;:.!¡?¿()"]/g, ' ')
    .trim();
  const words = t.split(/\s+/).filter(Boolean);
  if (words.length < opts.minWords || words.length > 7) return undefined;
  if (!words.every((w) => /^[\p{L}][\p{L}'-]*$/u.test(w))) return undefined;
  if (words.some((w) => NOT_NAMES.has(w.toLocaleLowerCase('es')))) return undefined;
  if (PARTICLES.has(words[0]!.toLowerCase()) || words.filter((w) => !PARTICLES.has(w.toLowerCase())).some((w) => w.length < 2))
    return undefined;
  const cased = words.map((w, i) => titleCase(w, i === 0));
  // Spanish names: one or two given names, then the surnames (particles stay with the surname).
  const given = cased.length >= 4 && !PARTICLES.has(cased[1]!) ? 2 : 1;
  return { firstName: cased.slice(0, given).join(' '), lastName: cased.slice(given).join(' ') };
}
