/**
 * - `direct`: names a person (phone, document, name, message text) in its
 *   value or in its key's name;
 * - `pseudonym`: only a keyed pseudonym (session HMAC, document digest) or
 *   an id that leads to a person through another family;
 * - `none`: nothing about a person.
 */
export type PersonalData = 'direct' | 'pseudonym' | 'none';

export interface KeyFamily {
  pattern: string;
  /** Where the key names are built. */
  builder: string;
  type: 'string' | 'hash' | 'list' | 'set' | 'zset' | 'stream' | 'bullmq';
  holds: string;
  why: string;
  lifetime: string;
  personal: PersonalData;
  /** What `npm run patient:erase` does to the person's part of it. */
  erasure: string;
}
