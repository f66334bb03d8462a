/**
 * Every Redis key family the fleet writes: what it holds, why, how long, and
 * whether it is about a person. `npm run docs:keys` renders this into
 * docs/operations.md ("Data held in Redis"), and the patient export/erase
 * tools (tools/patient) visit every family marked personal.
 *
 * Placeholders: `<p>` KEY_PREFIX, `<c>` CLINIC_KEY_PREFIX, `<q>` QUEUE_PREFIX,
 * `<session>` `<phone_number_id>:<wa_id>` (or the BSUID).
 */
import { CLINIC_KEY_FAMILIES } from './clinic-key-families.js';
import { FLEET_KEY_FAMILIES } from './fleet-key-families.js';
import type { KeyFamily } from './key-family.js';
import { familyRegexes, type KeyPrefixes } from './key-family-pattern.js';
import { QUEUE_KEY_FAMILIES } from './queue-key-families.js';
import { REMINDER_KEY_FAMILIES } from './reminder-key-families.js';
import { SEND_KEY_FAMILIES } from './send-key-families.js';
import { SESSION_KEY_FAMILIES } from './session-key-families.js';

export type { KeyFamily, PersonalData } from './key-family.js';
export type { KeyPrefixes } from './key-family-pattern.js';

/** docs/operations.md lists the families in this order: a session's keys, the fleet's, the clinic store's, BullMQ's. */
export const KEY_FAMILIES: readonly KeyFamily[] = [
  ...SESSION_KEY_FAMILIES,
  ...FLEET_KEY_FAMILIES,
  ...REMINDER_KEY_FAMILIES,
  ...SEND_KEY_FAMILIES,
  ...CLINIC_KEY_FAMILIES,
  ...QUEUE_KEY_FAMILIES,
];

/** The markdown table of docs/operations.md, "Data held in Redis". */
export function keyFamiliesTable(families: readonly KeyFamily[] = KEY_FAMILIES): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows = families.map((f) => [`\`${f.pattern}\``, f.type, f.holds, f.why, f.lifetime, f.personal, f.erasure].map(cell).join(' | '));
  return [
    '| keys | type | holds | why | lifetime | personal data | `patient:erase` |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r} |`),
  ].join('\n');
}

/**
 * The family a key belongs to, or undefined for a key no family describes.
 * When several match (a session key and a document key look alike), the
 * family with the most literal text wins.
 */
export function familyOf(key: string, prefixes: KeyPrefixes, families: readonly KeyFamily[] = KEY_FAMILIES): KeyFamily | undefined {
  let best: { family: KeyFamily; literal: number } | undefined;
  for (const family of families) {
    for (const re of familyRegexes(family.pattern, prefixes)) {
      if (!re.test(key)) continue;
      const literal = re.source.replace(/\.\+/g, '').length;
      if (!best || literal > best.literal) best = { family, literal };
    }
  }
  return best?.family;
}
