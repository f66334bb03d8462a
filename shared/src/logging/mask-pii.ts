/**
 * Runs of 6+ digits, optionally split by spaces, dots or dashes, are phone or
 * document numbers in this domain (wa_id, BSUID digits, cédula). Everything but
 * the last 2 digits is masked, wherever the run appears in a string.
 */
const DIGIT_RUN = /\+?\d(?:[\d .-]{4,}\d)/g;

export function maskDigits(text: string): string {
  return text.replace(DIGIT_RUN, (run) => {
    const digits = run.replace(/\D/g, '');
    if (digits.length < 6) return run;
    return `${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`;
  });
}

const MAX_DEPTH = 6;

/** Deep copy of a log object with every string masked; numbers are left alone (timings, counts). */
export function maskPii(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskDigits(value);
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (value instanceof Error) {
    return { type: value.name, message: maskDigits(value.message), stack: value.stack && maskDigits(value.stack) };
  }
  if (Array.isArray(value)) return value.map((v) => maskPii(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskPii(v, depth + 1);
  return out;
}
