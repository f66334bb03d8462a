// 6–15 digits, single dots/spaces/dashes allowed between them (1.023.456.789,
// 52 345 678, 10-234-567). Not after "+" (an international phone) or "$" (a price).
const DOCUMENT = /(?<![\d+$])\d(?:[ .-]?\d){5,14}(?![\d])/g;

/** The first document number in a message, digits only, or undefined. */
export function extractDocument(text: string): string | undefined {
  for (const match of text.matchAll(DOCUMENT)) {
    // "+57 300 123 4567": the digits after a country code are a phone number.
    if (/\+\d{1,3}[ .-]?$/.test(text.slice(0, match.index))) continue;
    const digits = match[0].replace(/\D/g, '');
    if (digits.length >= 6 && digits.length <= 15) return digits;
  }
  return undefined;
}
