import { normalize } from '../normalize.js';

const YES = new Set([
  'si',
  'sip',
  'sisi',
  'sisas',
  'claro',
  'dale',
  'ok',
  'va',
  'listo',
  'confirmo',
  'confirmado',
  'correcto',
  'exacto',
  'perfecto',
  'simon',
  'sale',
  'obvio',
  'afirmativo',
  'andale',
  'agale',
  'hagale',
  '_emo_si_',
  'yes',
  'vamos',
  'aja',
  'bueno',
]);
const NO = new Set(['no', 'nel', 'nop', 'nope', 'nopi', 'nah', 'na', 'naa', 'negativo', 'nones', '_emo_no_']);
// Words that may surround a yes/no without changing it ("si por favor", "no gracias").
const FILLERS = new Set(['pues', 'por', 'favor', 'senor', 'senora', 'senorita', 'doctor', 'doctora', 'claro', 'que', 'de', 'una']);
const NO_FILLERS = new Set([...FILLERS, 'gracias']);
const YES_PHRASES = new Set(['de una', 'claro que si', 'por supuesto', 'de acuerdo', 'esta bien', 'asi es']);

/**
 * "yes" or "no" when the whole message is a yes/no shortcut ("sii", "dale", "👍",
 * "nel", "no gracias"); undefined for anything longer, which the classifier reads.
 */
export function extractYesNo(text: string, normalized?: string): 'yes' | 'no' | undefined {
  const norm = normalized ?? normalize(text);
  if (norm === '') return undefined;
  if (YES_PHRASES.has(norm)) return 'yes';
  // "noo", "sii": elongations normalize() keeps because Spanish doubles o and e.
  const words = norm.split(' ').map((w) => (w.startsWith('_') ? w : w.replace(/(.)\1+/g, '$1')));
  const yes = words.filter((w) => YES.has(w)).length;
  const no = words.filter((w) => NO.has(w)).length;
  if (yes > 0 && no === 0 && words.every((w) => YES.has(w) || FILLERS.has(w))) return 'yes';
  if (no > 0 && yes === 0 && words.every((w) => NO.has(w) || NO_FILLERS.has(w))) return 'no';
  return undefined;
}
