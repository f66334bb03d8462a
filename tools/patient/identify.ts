import { clinicKeys, documentDigest, fleetKeys, sessionHash, type RedisClient } from '@medcita/shared';
import { createHash } from 'node:crypto';
import { scanKeys } from './scan.js';

/** Bad input: the command exits 2 and touches nothing. */
export class UsageError extends Error {}

export interface ToolSettings {
  keyPrefix: string;
  clinicKeyPrefix: string;
  queuePrefix: string;
  /** SESSION_HASH_KEY of the fleet: pseudonyms and document digests are keyed by it. */
  hashKey: string;
}

/** Whom the request is about, and every string that points at them in Redis. */
export interface Person {
  input: string;
  waIds: string[];
  documents: string[];
  /** Clinic records: the patient and their dependents. */
  patientIds: string[];
  appointmentIds: string[];
  sessionKeys: string[];
  pseudonyms: string[];
  /** Digests that stand for the person in key names (identity limiter, per-recipient send pause). */
  digests: string[];
}

const WA_ID = /^\d{8,15}$/;
const DOCUMENT = /^\d{6,12}[A-Z0-9]{0,3}$/;

/** A phone (digits, maybe with +, spaces, dashes) or a document number ("1.234.567 LP"). */
export function parseSubject(raw: string | undefined): string {
  if (raw === undefined || raw.trim() === '') throw new UsageError('missing argument: a wa_id (phone, digits) or a document number');
  const normalized = raw.replace(/[\s.()+-]/g, '').toUpperCase();
  if (!WA_ID.test(normalized) && !DOCUMENT.test(normalized)) {
    throw new UsageError(`"${raw}" is neither a wa_id (8–15 digits) nor a document number (6–12 digits, optional suffix)`);
  }
  return normalized;
}

interface PatientJson {
  id: string;
  documentNumber?: string;
  phone?: string;
  holderId?: string;
}

/**
 * Resolves the subject through the builtin clinic store: a document finds
 * the patient and so their phone, a phone their document. A subject the
 * store does not know is taken as what it can be (a wa_id, a document).
 */
export async function identify(redis: RedisClient, subject: string, s: ToolSettings): Promise<Person> {
  const ck = clinicKeys(s.clinicKeyPrefix);
  const byDocument = await redis.hget(ck.patientsByDocument, subject);
  const byPhone = WA_ID.test(subject) ? await redis.hget(ck.patientsByPhone, subject) : null;
  const waIds = new Set<string>();
  const documents = new Set<string>();
  if (byDocument) documents.add(subject);
  if (byPhone) waIds.add(subject);
  if (!byDocument && !byPhone) {
    if (WA_ID.test(subject)) waIds.add(subject);
    if (DOCUMENT.test(subject)) documents.add(subject);
  }

  // Every record with the person's phone or document, then their dependents.
  const records = new Map<string, PatientJson>();
  for (const raw of await redis.hvals(ck.patients)) {
    const p = JSON.parse(raw) as PatientJson;
    if ((p.phone && waIds.has(p.phone)) || (p.documentNumber && documents.has(p.documentNumber)) || [byDocument, byPhone].includes(p.id)) {
      records.set(p.id, p);
    }
  }
  for (const p of records.values()) {
    if (p.phone) waIds.add(p.phone);
    if (p.documentNumber) documents.add(p.documentNumber);
  }
  for (const raw of await redis.hvals(ck.patients)) {
    const p = JSON.parse(raw) as PatientJson;
    if (p.holderId && records.has(p.holderId)) records.set(p.id, p);
  }
  const patientIds = [...records.keys()];

  const appointmentIds: string[] = [];
  for (const [id, raw] of pairs(await redis.hgetall(ck.appointments))) {
    const a = JSON.parse(raw) as { patientId?: string; holderId?: string };
    if (patientIds.includes(a.patientId ?? '') || patientIds.includes(a.holderId ?? '')) appointmentIds.push(id);
  }

  const sessionKeys = new Set<string>();
  for (const waId of waIds) {
    for (const key of await scanKeys(redis, `${s.keyPrefix}:{*:${waId}}:*`)) {
      const m = /\{([^{}]+)\}/.exec(key);
      if (m) sessionKeys.add(m[1]!);
    }
    for (const key of await scanKeys(redis, fleetKeys(s.keyPrefix).handoffFlag(`*:${waId}`))) {
      sessionKeys.add(key.slice(fleetKeys(s.keyPrefix).handoffFlag('').length));
    }
  }
  // A session whose keys expired still has audit records: their business numbers name it.
  const businesses = new Set([...sessionKeys].map((k) => k.slice(0, k.lastIndexOf(':'))));
  for (const [, fields] of await redis.xrange(fleetKeys(s.keyPrefix).audit, '-', '+')) {
    const i = fields.indexOf('business');
    if (i >= 0 && i % 2 === 0) businesses.add(fields[i + 1]!);
  }
  for (const business of businesses) for (const waId of waIds) sessionKeys.add(`${business}:${waId}`);

  const digests = [
    ...[...documents].map((d) => documentDigest(s.hashKey, d)),
    ...[...waIds].map((w) => createHash('sha256').update(w).digest('hex').slice(0, 16)),
  ];
  return {
    input: subject,
    waIds: [...waIds],
    documents: [...documents],
    patientIds,
    appointmentIds,
    sessionKeys: [...sessionKeys],
    pseudonyms: [...sessionKeys].map((k) => sessionHash(k, s.hashKey)),
    digests,
  };
}

/** Everything that, found in a key's name or value, makes it about the person. */
export function needlesOf(person: Person): string[] {
  return [...person.waIds, ...person.documents, ...person.patientIds, ...person.appointmentIds, ...person.pseudonyms, ...person.digests];
}

/** Whether `text` holds one of the needles as a whole token: not inside a longer number or word (ids join parts with `_`, `-`, `:`). */
export function mentions(text: string, needles: readonly string[]): boolean {
  for (const needle of needles) {
    let at = text.indexOf(needle);
    while (at >= 0) {
      const before = text[at - 1];
      const after = text[at + needle.length];
      if (!isIdChar(before) && !isIdChar(after)) return true;
      at = text.indexOf(needle, at + 1);
    }
  }
  return false;
}

const isIdChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);

function pairs(hash: Record<string, string>): [string, string][] {
  return Object.entries(hash);
}
