/**
 * Text normalization for informal WhatsApp Spanish. The same function runs at
 * training and at inference, so any folding here is a feature, not a loss.
 */

/** Emoji that carry meaning in this domain become words the classifier can learn from. */
const EMOJI_WORDS: ReadonlyArray<[RegExp, string]> = [
  [/[👍👌✅✔☑🆗]/gu, ' _emo_si_ '],
  [/[👎❌✖🚫]/gu, ' _emo_no_ '],
  [/🙏/gu, ' _emo_gracias_ '],
  [/👋/gu, ' _emo_saludo_ '],
  [/[🦷]/gu, ' diente '],
  [/[👁👀]/gu, ' ojo '],
  [/[👂]/gu, ' oido '],
  [/[👃]/gu, ' nariz '],
  [/[🤰]/gu, ' embarazada '],
  [/[👶🍼]/gu, ' bebe '],
  [/[🦴]/gu, ' hueso '],
  [/[🫁]/gu, ' pulmon '],
  [/[🫀💔]/gu, ' corazon '],
  [/[🤒🌡]/gu, ' fiebre '],
  [/[🤧]/gu, ' estornudo '],
  [/[🤢🤮]/gu, ' nausea '],
  [/[🤕]/gu, ' golpe '],
  [/[😭😢😞😔😥😓😩😫]/gu, ' _emo_triste_ '],
  [/[😡😠🤬]/gu, ' _emo_enojo_ '],
  [/[😀-🙂😊☺🥰😍🤗❤💙💚♥]/gu, ' _emo_feliz_ '],
  [/\p{Extended_Pictographic}/gu, ' _emo_ '],
];

/** Chat abbreviations and spellings that are not typos of one word but a different word. */
const WORD_MAP: Readonly<Record<string, string>> = {
  q: 'que',
  k: 'que',
  ke: 'que',
  qe: 'que',
  xq: 'porque',
  pq: 'porque',
  porq: 'porque',
  xk: 'porque',
  x: 'por',
  d: 'de',
  tb: 'tambien',
  tmb: 'tambien',
  tbn: 'tambien',
  bn: 'bien',
  bno: 'bueno',
  xfa: 'por favor',
  xfavor: 'por favor',
  porfa: 'por favor',
  porfis: 'por favor',
  porfavor: 'por favor',
  pls: 'por favor',
  plis: 'por favor',
  plz: 'por favor',
  please: 'por favor',
  grax: 'gracias',
  grcs: 'gracias',
  grs: 'gracias',
  grac: 'gracias',
  thx: 'gracias',
  thanks: 'gracias',
  ntp: 'no te preocupes',
  msj: 'mensaje',
  hrs: 'horas',
  hr: 'hora',
  dr: 'doctor',
  dra: 'doctora',
  info: 'informacion',
  toy: 'estoy',
  tas: 'estas',
  ta: 'esta',
  pa: 'para',
  pal: 'para el',
  ok: 'ok',
  okey: 'ok',
  okay: 'ok',
  oki: 'ok',
  okis: 'ok',
  vale: 'ok',
  hi: 'hola',
  hello: 'hola',
  bye: 'chao',
  byebye: 'chao',
  chau: 'chao',
  chaito: 'chao',
  tqm: 'te quiero',
  bb: 'bebe',
  cel: 'celular',
  wsp: 'whatsapp',
  wpp: 'whatsapp',
};

// Letters Spanish legitimately doubles (llave, perro, accion, leer, coordinar,
// innato); any other doubled letter is an elongation ("holaa", "graciass").
const DOUBLE_OK = new Set(['l', 'r', 'c', 'e', 'o', 'n']);

function foldAccents(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

function collapseElongations(word: string): string {
  let out = '';
  let i = 0;
  while (i < word.length) {
    const ch = word[i] as string;
    let run = 1;
    while (word[i + run] === ch) run++;
    out += run === 2 && DOUBLE_OK.has(ch) ? ch + ch : ch;
    i += run;
  }
  return out;
}

function mapNumbers(text: string): string {
  return text
    .replace(/\b\d{1,2}[:.h]\d{2}\b/g, ' _hora_ ')
    .replace(/\b\d{1,2}\s?(?:am|pm|a\.m\.|p\.m\.)/g, ' _hora_ ')
    .replace(/\b\d{1,2}[/-]\d{1,2}(?:[/-]\d{2,4})?\b/g, ' _fecha_ ')
    .replace(/\d(?:[\d .-]*\d)?/g, (run) => {
      const digits = run.replace(/\D/g, '').length;
      if (digits >= 6) return ' _doc_ ';
      // A digit run with inner spaces but under 6 digits is several small numbers.
      return run
        .split(/[ .-]+/)
        .map((n) => (n.length <= 2 ? ' _num_ ' : ' _numlargo_ '))
        .join(' ');
    });
}

function mapLaughter(word: string): string {
  if (word.length < 4 || !(word[0] === 'j' || word[0] === 'h' || word[0] === 'x')) return word;
  return /^(?:ja|je|ji|jo|ha|he|js|xd)+[jah]?$/.test(word) ? '_risa_' : word;
}

/**
 * Canonical form of a message: lowercase, accents and ñ folded, emoji and
 * numbers mapped to placeholder words, elongations collapsed, chat
 * abbreviations expanded, punctuation dropped. Returns space-separated words.
 */
export function normalize(text: string): string {
  let t = text.toLowerCase();
  // Fast paths: most messages have no emoji, no accents or no digits.
  if (/[\u2000-\u2bff\ud800-\udfff]/.test(t)) {
    t = t.replace(/\uFE0F|\u200D/g, '');
    for (const [pattern, word] of EMOJI_WORDS) t = t.replace(pattern, word);
  }
  if (/[^\x00-\x7f]/.test(t)) t = foldAccents(t);
  if (/\d/.test(t)) t = mapNumbers(t);
  t = t.replace(/[^a-z0-9_\s]/g, ' ');
  const words: string[] = [];
  for (const raw of t.split(/\s+/)) {
    if (raw === '') continue;
    if (raw.startsWith('_')) {
      words.push(raw);
      continue;
    }
    const word = mapLaughter(collapseElongations(raw));
    words.push(WORD_MAP[word] ?? word);
  }
  return words.join(' ');
}

const PHONETIC_CACHE = new Map<string, string>();
const PHONETIC_CACHE_MAX = 50_000;

/**
 * Spelling-insensitive key of one normalized word, so the common Latin-American
 * misspellings share features: seseo (cita/sita, cabeza/cabesa), qu/k
 * (quiero/kiero), b/v, ll/y, silent h, g/j before e/i.
 */
export function phoneticKey(word: string): string {
  if (word.startsWith('_')) return word;
  const cached = PHONETIC_CACHE.get(word);
  if (cached !== undefined) return cached;
  const key = word
    .replace(/ch/g, 'ç')
    .replace(/qu(?=[ei])/g, 'k')
    .replace(/c(?=[ei])/g, 's')
    .replace(/c/g, 'k')
    .replace(/z/g, 's')
    .replace(/g(?=[ei])/g, 'j')
    .replace(/gu(?=[ei])/g, 'g')
    .replace(/v/g, 'b')
    .replace(/ll/g, 'y')
    .replace(/h/g, '')
    .replace(/y$/, 'i');
  if (PHONETIC_CACHE.size >= PHONETIC_CACHE_MAX) PHONETIC_CACHE.clear();
  PHONETIC_CACHE.set(word, key);
  return key;
}
