import { simpleText } from './simple-text.js';

const ORDINALS: Readonly<Record<string, number>> = {
  primera: 1,
  primero: 1,
  primer: 1,
  segunda: 2,
  segundo: 2,
  tercera: 3,
  tercero: 3,
  tercer: 3,
  cuarta: 4,
  cuarto: 4,
  quinta: 5,
  quinto: 5,
  sexta: 6,
  sexto: 6,
  septima: 7,
  septimo: 7,
  setima: 7,
  octava: 8,
  octavo: 8,
  novena: 9,
  noveno: 9,
  decima: 10,
  decimo: 10,
};

/**
 * Spanish number words up to twelve, folded (no accents), the one table the
 * extractors and the dialog read: "un"/"uno"/"una" … "doce".
 */
export const NUMBER_WORDS: Readonly<Record<string, number>> = {
  un: 1,
  uno: 1,
  una: 1,
  dos: 2,
  tres: 3,
  cuatro: 4,
  cinco: 5,
  seis: 6,
  siete: 7,
  ocho: 8,
  nueve: 9,
  diez: 10,
  once: 11,
  doce: 12,
};

// A pick names one of at most 10 rows; "un" is the article of "un turno", never a pick.
const CARDINALS: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(NUMBER_WORDS).filter(([word, n]) => n <= 10 && word !== 'un'),
);

const NUMBER_WORD = `\\d{1,2}|${Object.keys(CARDINALS).join('|')}`;
// "opcion 3", "numero tres", "#2", "nro 4"
const LABELLED = new RegExp(`(?:opcion|opc|numero|num|nro|no\\.|#)\\s*(${NUMBER_WORD})\\b`);
// A message that is only a pick: "3", "la 3", "el 2.", "la tres porfa"
const BARE = new RegExp(
  `^(?:(?:quiero|dame|me quedo con|elijo|escojo|tomo)\\s+)?(?:(?:la|el|con la|con el)\\s+)?(${NUMBER_WORD})(?:\\s+(?:porfa|por favor|gracias))?\\s*\\.?$`,
);
// "quiero la 3", "me quedo con la 2" inside a longer message, unless a date or time follows.
const ARTICLE =
  /\b(?:quiero|dame|elijo|escojo|tomo|con|prefiero|agendame|reservame)\s+(?:la|el)\s+(\d{1,2})\b(?!\s*(?::|am|pm|de la|hrs|horas|de (?:ene|feb|mar|abr|may|jun|jul|ago|sep|oct|nov|dic)))/;
// Ordinals, except idioms: "primera vez", "un segundo", "segunda opinion".
const ORDINAL = new RegExp(`\\b(${Object.keys(ORDINALS).join('|')})\\b(?!\\s+(?:vez|opinion|piso|nombre|apellido))`);

// Cheap gate before the full patterns: a pick needs a digit, "#", an ordinal or a number word.
const MAYBE_OPTION =
  /\d|#|primer|segund|tercer|cuart|quint|sext|s[eé]p?tim|octav|noven|d[eé]cim|\b(?:uno|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez)\b/i;

function toNumber(token: string): number | undefined {
  const n = /^\d+$/.test(token) ? Number(token) : CARDINALS[token];
  return n !== undefined && n >= 1 && n <= 99 ? n : undefined;
}

/**
 * The 1-based option a user picked from a list we sent ("3", "la 3", "tercera",
 * "opción tres"), or undefined. Interactive replies carry an id instead; see `optionFromReplyId`.
 */
export function extractOption(text: string): number | undefined {
  if (!MAYBE_OPTION.test(text)) return undefined;
  const t = simpleText(text);
  for (const pattern of [BARE, LABELLED, ARTICLE]) {
    const m = pattern.exec(t);
    if (m?.[1] !== undefined) return toNumber(m[1]);
  }
  const ordinal = ORDINAL.exec(t);
  if (ordinal?.[1] !== undefined && !/\bun (?:segundo|segundito)\b/.test(t)) return ORDINALS[ordinal[1]];
  return undefined;
}

/** Reply ids the dialog builds as "option:3", "opt_3" or "slot-3" carry the pick in their number. */
export function optionFromReplyId(replyId: string): number | undefined {
  const m = /^(?:option|opt|slot|row)[:_-](\d{1,3})$/i.exec(replyId);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}
