/** Lowercase, accents folded (ñ → n), punctuation to spaces: how patients' words are compared. */
export function fold(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9:/\s]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** True when `a` and `b` differ by at most one insertion, deletion or substitution (a typo). */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

/** Same word, or a one-letter typo of a long enough word ("juebes", "cochabamva"). */
export function sameWord(typed: string, known: string): boolean {
  if (typed === known) return true;
  return known.length >= 5 && typed.length >= 4 && typed[0] === known[0] && withinOneEdit(typed, known);
}
