/**
 * PII masking for log lines (docs/operations.md, "Logs"). Phone and document
 * numbers are recognised by what they are, not by any run of digits, so the
 * identifiers that trace a message (wamids, job ids, idempotency keys, request
 * ids) stay intact:
 * - by field name: a value under a phone/document field (`waId`, `to`,
 *   `documentNumber`, `sessionKey`…) has its digits masked whatever its shape;
 *   a value under an identifier field (`wamid`, `jobId`, `idempotencyKey`…)
 *   is left alone;
 * - in free text: a standalone number of 6 to 15 digits, optionally split by
 *   spaces, dots, dashes or parentheses and with a leading `+` (a phone, a
 *   cédula like `1.234.567 LP`), is masked. Digits glued to letters or
 *   continuing an identifier (`abc-123456`, base64, hex) are not numbers of a
 *   person; wamids, UUIDs, ISO dates and IPv4 addresses are kept whole.
 * Masked numbers keep their last 2 digits, enough to tell two apart.
 */

/** Fields whose value is a person's number, whatever its shape. */
const PII_FIELDS = new Set([
  'waid',
  'phone',
  'phonenumber',
  'msisdn',
  'to',
  'from',
  'recipient',
  'userid',
  'bsuid',
  'document',
  'documentnumber',
  'documento',
  'doc',
  'cedula',
  'sessionkey',
  'input',
]);

/** Fields that trace a message or job through the fleet; none holds a person's number in clear. */
const ID_FIELDS = new Set([
  'wamid',
  'wamids',
  'turnid',
  'jobid',
  'idempotencykey',
  'messageid',
  'requestid',
  'reqid',
  'rid',
  'fbtraceid',
  'session',
  'pid',
]);

/** Kept whole: Meta message ids, UUIDs, ISO dates/times, IPv4 addresses (with port). */
const PROTECTED =
  /wamid\.[A-Za-z0-9+/=_-]+|\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b|\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b/g;

/**
 * A number-like run. Left: not glued to a word character, nor continuing an
 * identifier through `-`/`.` (`reminder-123456`); `%XX` (URL-encoded `:` or
 * `+`) counts as a separator. Right: not glued to a word character, except a
 * short uppercase suffix like a cédula's issuing department (`1234567LP`).
 */
const NUMBER_RUN = /(?:^|(?<=%[0-9A-Fa-f]{2})|(?<=[^\w%.-])|(?<=(?:^|[^\w])[.-]))\+?\d(?:[\d .()-]*\d)?(?:[A-Z]{1,3})?(?!\w)/g;

const MIN_DIGITS = 6;
const MAX_DIGITS = 15;

function maskNumber(digits: string): string {
  return `${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`;
}

function maskRuns(text: string): string {
  return text.replace(NUMBER_RUN, (run) => {
    const suffix = /[A-Z]+$/.exec(run)?.[0] ?? '';
    const digits = run.replace(/\D/g, '');
    if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) return run;
    return maskNumber(digits) + suffix;
  });
}

const DIGIT = /\d/;

/** Masks phone and document numbers in free text (messages, URLs, error stacks). */
export function maskDigits(text: string): string {
  // Most strings of a log line hold no digit at all: nothing to mask, no regex pass needed.
  if (!DIGIT.test(text)) return text;
  let out = '';
  let last = 0;
  for (const m of text.matchAll(PROTECTED)) {
    out += maskRuns(text.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  return out + maskRuns(text.slice(last));
}

/** A value known to be a person's number: every digit run of 3+ is masked, whatever surrounds it. */
export function maskNumberField(text: string): string {
  return text.replace(/\d{3,}/g, maskNumber);
}

const MAX_DEPTH = 8;

/** Field names seen so far, normalised: a service logs the same few dozen names on every line. */
const normalised = new Map<string, string>();
const NORMALISED_MAX = 1_000;

function normalise(key: string): string {
  let n = normalised.get(key);
  if (n === undefined) {
    n = key.toLowerCase().replace(/[_-]/g, '');
    if (normalised.size < NORMALISED_MAX) normalised.set(key, n);
  }
  return n;
}

/**
 * Deep copy of a log value with every string masked. Numbers are left alone
 * (timings, counts); Error objects are serialised first (see logger.ts) so
 * nothing of theirs is lost.
 */
export function maskPii(value: unknown, depth = 0, field: 'pii' | 'id' | 'text' = 'text'): unknown {
  if (typeof value === 'string') return field === 'id' ? value : field === 'pii' ? maskNumberField(value) : maskDigits(value);
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((v) => maskPii(v, depth + 1, field));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = normalise(k);
    const kind = PII_FIELDS.has(key) ? 'pii' : ID_FIELDS.has(key) ? 'id' : field === 'pii' ? 'pii' : 'text';
    out[k] = maskPii(v, depth + 1, kind);
  }
  return out;
}
