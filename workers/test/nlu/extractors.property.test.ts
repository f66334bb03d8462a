/**
 * Property-based checks of the dialog's text extractors: whatever a patient
 * types (any Unicode, digits, punctuation), they return a well-formed value
 * or nothing, and never throw.
 */
import fc from 'fast-check';
import { parseBirthDate } from '../../src/dialog/birth-date.js';
import { extractDateTimes } from '../../src/nlu/extractors/datetime.js';
import { extractDocument } from '../../src/nlu/extractors/document.js';
import { extractOption } from '../../src/nlu/extractors/option.js';
import { extractYesNo } from '../../src/nlu/extractors/yes-no.js';

/** Text shaped like what patients send: words, numbers, dates, separators. */
const patientText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc
    .array(
      fc.oneof(
        fc.constantFrom('el', 'de', 'la', 'sí', 'no', 'abril', 'mañana', 'a las', '+', '/', '-', '.', ' ', 'CI'),
        fc.integer({ min: 0, max: 99_999_999 }).map(String),
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join(' ')),
);
const NOW = new Date('2026-11-30T12:00:00Z');

describe('text extractors under arbitrary input', () => {
  it('a birth date is a real past date in YYYY-MM-DD, or nothing', () => {
    fc.assert(
      fc.property(patientText, (text) => {
        const date = parseBirthDate(text, NOW);
        if (date === undefined) return;
        expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(new Date(`${date}T00:00:00Z`).getTime()).toBeLessThanOrEqual(NOW.getTime());
      }),
      { numRuns: 3_000 },
    );
  });

  it('a document number is 6 to 15 digits taken from the text, or nothing', () => {
    fc.assert(
      fc.property(patientText, (text) => {
        const doc = extractDocument(text);
        if (doc === undefined) return;
        expect(doc).toMatch(/^\d{6,15}$/);
        expect(text.replace(/\D/g, '')).toContain(doc);
      }),
      { numRuns: 3_000 },
    );
  });

  it('options, yes/no and date-time mentions never throw', () => {
    fc.assert(
      fc.property(patientText, (text) => {
        const option = extractOption(text);
        if (option !== undefined) expect(Number.isInteger(option)).toBe(true);
        expect([undefined, 'yes', 'no']).toContain(extractYesNo(text));
        expect(Array.isArray(extractDateTimes(text))).toBe(true);
      }),
      { numRuns: 3_000 },
    );
  });
});
