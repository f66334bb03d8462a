/**
 * Checks a clinic applies to patient data typed by patients themselves
 * (registration, family members). Both adapters' backends share them, so a
 * bad field gets the same `invalid` answer everywhere.
 */

/** A normalized identity document: 6–12 digits, optionally a short letter or digit suffix ("1234567LP", "12345671A"). */
const DOCUMENT = /^\d{6,12}[A-Z0-9]{0,3}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Letters (any script, with accents), spaces, apostrophes, dots and hyphens. */
const NAME = /^[\p{L}][\p{L}' .-]{0,59}$/u;
const OLDEST_YEARS = 120;

export function isPlausibleDocument(normalized: string): boolean {
  return DOCUMENT.test(normalized);
}

/** A real calendar date, not in the future and at most 120 years ago. */
export function isRealPastDate(date: string, now: number): boolean {
  const m = DATE.exec(date);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const at = Date.UTC(y, mo - 1, d);
  const real = new Date(at).getUTCMonth() === mo - 1 && new Date(at).getUTCDate() === d;
  return real && at <= now && y >= new Date(now).getUTCFullYear() - OLDEST_YEARS;
}

export function isPlausibleName(name: string): boolean {
  return NAME.test(name.trim());
}

/** Trims and collapses spaces, so "  sofía   pérez " and "sofía pérez" are one name. */
export function cleanName(name: string): string {
  return name.trim().replace(/\s+/g, ' ');
}
