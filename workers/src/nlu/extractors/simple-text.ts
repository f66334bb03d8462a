/** Lowercase, accents folded, punctuation to spaces; digits and separators kept (extractors need them). */
export function simpleText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[¿?¡!,;"'()*_~]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
