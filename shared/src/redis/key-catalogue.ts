/**
 * Every Redis key family the fleet writes: what it holds, why, how long, and
 * whether it is about a person. `npm run docs:keys` renders this into
 * docs/operations.md ("Data held in Redis"), and the patient export/erase
 * tools (tools/patient) visit every family marked personal.
 *
 * Placeholders: `<p>` KEY_PREFIX, `<c>` CLINIC_KEY_PREFIX, `<q>` QUEUE_PREFIX,
 * `<session>` `<phone_number_id>:<wa_id>` (or the BSUID).
 */

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

const SESSION_KEY_NAME = 'the key name holds the wa_id';

export const KEY_FAMILIES: readonly KeyFamily[] = [
  // One conversation: every key under the session's {hash tag}.
  {
    pattern: '<p>:{<session>}:inbox',
    builder: 'sessionKeys().inbox',
    type: 'list',
    holds: 'accepted messages (wamid, content, request id) not yet taken by a turn',
    why: 'the webhook answers at once; a worker takes the messages in order',
    lifetime: 'until a turn takes them (seconds; hours only while workers are down)',
    personal: 'direct',
    erasure: 'deleted',
  },
  {
    pattern: '<p>:{<session>}:processing',
    builder: 'sessionKeys().processing',
    type: 'list',
    holds: 'the batch the running turn works on',
    why: 'a turn cut short is redone on the same batch',
    lifetime: 'until the turn commits',
    personal: 'direct',
    erasure: 'deleted',
  },
  {
    pattern: '<p>:{<session>}:attempts, :lock, :rate, :rate-notice',
    builder: 'sessionKeys().attempts / .lock / .rate / .rateNotice',
    type: 'string',
    holds: `attempt count, lock owner token, admission times, notice level; ${SESSION_KEY_NAME}`,
    why: 'exclusive turns, retries, the per-session rate limit',
    lifetime: 'a turn, SESSION_LOCK_TTL_MS, one minute',
    personal: 'direct',
    erasure: 'deleted',
  },
  {
    pattern: '<p>:{<session>}:state',
    builder: 'sessionKeys().state',
    type: 'hash',
    holds: 'dialog state: step, identified patient (id, first name), pending choices, last message time',
    why: 'the conversation continues where it was',
    lifetime: 'SESSION_TTL_SECONDS + 1 day after the last message',
    personal: 'direct',
    erasure: 'deleted',
  },
  {
    pattern: '<p>:{<session>}:history',
    builder: 'sessionKeys().history',
    type: 'list',
    holds: 'the last HISTORY_CAP messages in and out (text)',
    why: 'context for the dialog',
    lifetime: 'SESSION_TTL_SECONDS + 1 day after the last message',
    personal: 'direct',
    erasure: 'deleted',
  },
  {
    pattern: '<p>:{<session>}:audit-outbox',
    builder: 'sessionKeys().auditOutbox',
    type: 'list',
    holds: 'audit records of committed turns not yet in the audit stream',
    why: 'a record commits with its turn and is never lost',
    lifetime: 'until moved to the stream (milliseconds)',
    personal: 'direct',
    erasure: 'deleted',
  },
  {
    pattern: '<p>:{<session>}:context',
    builder: 'sessionKeys().context',
    type: 'list',
    holds: 'the last HANDOFF_CONTEXT_MESSAGES messages as text',
    why: 'an operator sees what came before a handoff',
    lifetime: 'SESSION_TTL_SECONDS',
    personal: 'direct',
    erasure: 'deleted',
  },
  {
    pattern: '<p>:{<session>}:transcript, :reply-status',
    builder: 'sessionKeys().transcript / .replyStatus',
    type: 'list',
    holds: 'a handed-off conversation as text; delivery status per operator reply',
    why: 'the operator inbox',
    lifetime: 'HANDOFF_TRANSCRIPT_TTL_SECONDS',
    personal: 'direct',
    erasure: 'deleted',
  },
  {
    pattern: '<p>:{<session>}:identity-failures',
    builder: 'sessionKeys().identityFailures',
    type: 'hash',
    holds: 'failed identification attempts of the session',
    why: 'locks out guessing of documents from one phone',
    lifetime: 'IDENTITY_WINDOW_SECONDS',
    personal: 'direct',
    erasure: 'deleted',
  },
  {
    pattern: '<p>:{<session>}:reminder',
    builder: 'sessionKeys().reminder',
    type: 'string',
    holds: 'the appointment last reminded to the session',
    why: 'a reply to a reminder ("sí") confirms that appointment',
    lifetime: 'until the appointment starts',
    personal: 'direct',
    erasure: 'deleted',
  },
  {
    pattern: '<p>:{<slot tag>}:seen:<n>',
    builder: 'seenBucketKey()',
    type: 'set',
    holds: 'digests of delivered message ids, shared by all sessions of a cluster slot',
    why: "absorbs Meta's redeliveries",
    lifetime: 'DEDUPE_TTL_SECONDS',
    personal: 'none',
    erasure: 'kept: a digest leads to nobody',
  },
  // Shared by the fleet.
  {
    pattern: '<p>:audit',
    builder: 'fleetKeys().audit',
    type: 'stream',
    holds: 'one record per turn and operator action: time, session pseudonym, business number, wamids, outcome, dialog steps',
    why: 'support answers "what happened to my message" (npm run audit)',
    lifetime: '100,000 entries and AUDIT_MAX_AGE_DAYS',
    personal: 'pseudonym',
    erasure: "the person's entries deleted",
  },
  {
    pattern: '<p>:erasures',
    builder: 'fleetKeys().erasures',
    type: 'stream',
    holds: 'one record per erasure: time and how much was removed, never whom',
    why: 'proof that a request was carried out',
    lifetime: '10,000 entries',
    personal: 'none',
    erasure: 'an entry is added',
  },
  {
    pattern: '<p>:statuses:failed',
    builder: 'fleetKeys().failedStatuses',
    type: 'stream',
    holds: 'failed delivery statuses: recipient phone, message id, Graph error codes',
    why: 'operators see failed sends after the fact; a failed reminder is retried as a template',
    lifetime: '10,000 entries',
    personal: 'direct',
    erasure: "the person's entries deleted",
  },
  {
    pattern: '<p>:statuses:counts',
    builder: 'fleetKeys().statusCounts',
    type: 'hash',
    holds: 'delivery status → count',
    why: 'metrics',
    lifetime: 'kept',
    personal: 'none',
    erasure: 'kept',
  },
  {
    pattern: '<p>:{handoff}:index, :session:<session>',
    builder: 'fleetKeys().handoffFlag / .handoffIndex',
    type: 'string',
    holds: 'a handed-off session: reason, times, operator, first name, reply address; the index of them',
    why: 'the bot stays silent and operators see whom to answer',
    lifetime: 'HANDOFF_TIMEOUT_SECONDS + 5 min',
    personal: 'direct',
    erasure: 'flag deleted, index entry removed',
  },
  {
    pattern: '<p>:{handoff}:version',
    builder: 'fleetKeys().handoffVersion',
    type: 'string',
    holds: 'a counter',
    why: 'the operator inbox refreshes when it changes',
    lifetime: 'kept',
    personal: 'none',
    erasure: 'bumped',
  },
  {
    pattern: '<p>:{iddoc:<digest>}:identity-failures',
    builder: 'fleetKeys().documentFailures(documentDigest())',
    type: 'hash',
    holds: 'failed identifications of one document from any phone; the name holds a digest keyed by SESSION_HASH_KEY',
    why: 'backs off guessing of one document from many phones',
    lifetime: 'IDENTITY_WINDOW_SECONDS, up to IDENTITY_DOCUMENT_MAX_BACKOFF_SECONDS while backing off',
    personal: 'pseudonym',
    erasure: 'deleted',
  },
  {
    pattern: '<p>:{iddoc:<digest>}:identity-alert',
    builder: 'fleetKeys().documentAlert(documentDigest())',
    type: 'string',
    holds: "the attempt id (turn id) that alerted the document's registered phone; the name holds the same keyed digest",
    why: 'another number trying a document tells its registered phone once per period, not once per attempt',
    lifetime: 'IDENTITY_DOCUMENT_MAX_BACKOFF_SECONDS',
    personal: 'pseudonym',
    erasure: 'deleted',
  },
  {
    pattern: '<p>:{admin}:session:<token digest>',
    builder: 'fleetKeys().operatorSession',
    type: 'string',
    holds: "an operator's sign-in (operator id, CSRF token)",
    why: 'operator inbox sessions',
    lifetime: 'ADMIN_SESSION_TTL_SECONDS',
    personal: 'none',
    erasure: 'kept: operators, not patients',
  },
  {
    pattern: '<p>:reminders:appt:<appointment>',
    builder: 'fleetKeys().reminderRecord',
    type: 'string',
    holds: 'what a reminder said: patient id, phone, first name, time, doctor, clinic',
    why: "the dialog answers the reminder's buttons",
    lifetime: 'until the appointment starts + 1 day',
    personal: 'direct',
    erasure: 'deleted',
  },
  {
    pattern: '<p>:reminders:msg:<message id>',
    builder: 'fleetKeys().reminderMessage',
    type: 'string',
    holds: 'a sent reminder: appointment, phone, mode',
    why: 'a failed status finds the reminder it was about',
    lifetime: '3 days',
    personal: 'direct',
    erasure: 'deleted',
  },
  {
    pattern: '<p>:reminders:done:<kind>:<appointment>, <p>:reminders:scheduled:<kind>:<appointment>',
    builder: 'fleetKeys().reminderDone / .reminderScheduled',
    type: 'string',
    holds: 'the sent message id; when it was scheduled',
    why: 'one reminder per appointment, however many workers tick',
    lifetime: 'until the appointment starts + 30 days',
    personal: 'pseudonym',
    erasure: "deleted for the person's appointments",
  },
  {
    pattern: '<p>:wa:{<phone_number_id>}:send-tat, :send-rate, :paused',
    builder: 'sendKeys() (workers/src/whatsapp/whatsapp-keys.ts)',
    type: 'string',
    holds: "the business number's send schedule and pause",
    why: 'the fleet-wide send limit',
    lifetime: 'seconds',
    personal: 'none',
    erasure: 'kept',
  },
  {
    pattern: '<p>:wa:{<phone_number_id>}:pair:<recipient digest>',
    builder: 'sendKeys().pairPause',
    type: 'string',
    holds: 'a pause of sends to one recipient (unkeyed digest of the phone)',
    why: "Meta's per-user throttle (131056)",
    lifetime: '6 seconds',
    personal: 'pseudonym',
    erasure: 'deleted',
  },
  {
    pattern: '<p>:wa:{<phone_number_id>}:s:<digest>',
    builder: 'sendMarkerKey()',
    type: 'hash',
    holds:
      "one reply's send marker: while open a hash (state, owner, times); once sent a string, the message id, then '1' after its turn commits",
    why: 'a reply is sent once even when its worker dies',
    lifetime: 'until its turn commits, then 15 min',
    personal: 'none',
    erasure: 'kept',
  },
  // The builtin clinic store (CLINIC_BACKEND=builtin).
  {
    pattern: '<c>:slots, :slots-by-specialty:<code>',
    builder: 'clinicKeys().slots / .slotsBySpecialty',
    type: 'hash',
    holds: 'generated slots, each with its doctor, and their index by specialty',
    why: 'the demo clinic',
    lifetime: 'kept (slots roll forward)',
    personal: 'none',
    erasure: 'kept',
  },
  {
    pattern: '<c>:patients, :patients-by-document, :patients-by-phone',
    builder: 'clinicKeys().patients / .patientsByDocument / .patientsByPhone',
    type: 'hash',
    holds: 'patients and dependents: document, names, birth date, phone, consent; lookups by document and phone',
    why: 'identification and registration',
    lifetime: 'kept until erased',
    personal: 'direct',
    erasure: "the person's and their dependents' records and lookups removed",
  },
  {
    pattern: '<c>:dependents:<patient id>',
    builder: 'clinicKeys().dependents',
    type: 'hash',
    holds: "a patient's family members (name and birth date → id)",
    why: 'booking for a family member',
    lifetime: 'kept until erased',
    personal: 'direct',
    erasure: 'deleted',
  },
  {
    pattern: '<c>:appointments, :patient-appointments:<id>, :appointments-by-start, :booked',
    builder: 'clinicKeys().appointments / .patientAppointments / .appointmentsByStart / .booked',
    type: 'hash',
    holds: 'appointments (patient id, slot, status); by patient; by start; slot → appointment',
    why: 'booking without double-booking, listing, reminders',
    lifetime: 'kept until erased',
    personal: 'pseudonym',
    erasure: "the person's appointments removed; future slots free again",
  },
  {
    pattern: '<c>:hold:<slot>',
    builder: 'clinicKeys().hold',
    type: 'string',
    holds: 'the session pseudonym holding a slot while the patient confirms',
    why: 'nobody else books a slot being confirmed',
    lifetime: 'SLOT_HOLD_SECONDS',
    personal: 'pseudonym',
    erasure: 'deleted',
  },
  {
    pattern: '<c>:idempotency:<key>',
    builder: 'clinicKeys().idempotency',
    type: 'string',
    holds: 'the appointment a booking request made',
    why: 'a retried booking books once',
    lifetime: '7 days',
    personal: 'pseudonym',
    erasure: "deleted for the person's appointments",
  },
  {
    pattern: '<c>:erased-patients',
    builder: 'clinicKeys().erasedPatients',
    type: 'set',
    holds: 'ids of erased patients (no name, phone or document)',
    why: 'seeding from the seed file does not bring an erased patient back',
    lifetime: 'kept',
    personal: 'pseudonym',
    erasure: "the person's patient ids are added",
  },
  // BullMQ.
  {
    pattern: '<q>:turns:…, <q>:reminders:…, <q>:operator-replies:…, <q>:identity-alerts:…',
    builder: 'QueueName, jobOptions (shared/src/queues)',
    type: 'bullmq',
    holds: 'jobs (session key; operator reply text; reminder recipient; owner alert recipient), their dedupe keys and event streams',
    why: 'work queues',
    lifetime: 'waiting until run; completed 1 hour to 7 days, failed up to 30 days, capped by count',
    personal: 'direct',
    erasure: "the person's finished and waiting jobs, dedupe keys and events removed; a running job is reported",
  },
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

export interface KeyPrefixes {
  /** KEY_PREFIX */
  p: string;
  /** CLINIC_KEY_PREFIX */
  c: string;
  /** QUEUE_PREFIX */
  q: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The key names one family's pattern stands for; `, :x` replaces the last segment of the first name. */
function familyRegexes(pattern: string, prefixes: KeyPrefixes): RegExp[] {
  const [first, ...rest] = pattern.split(', ');
  const stem = first!.slice(0, first!.lastIndexOf(':'));
  const names = [first!, ...rest.map((r) => (r.startsWith(':') ? `${stem}${r}` : r))];
  return names.map((name) => {
    const source = name
      .split(/(<[pcq]>|<[^>]+>|…)/)
      .map((part) => {
        if (part === '<p>' || part === '<c>' || part === '<q>') return escape(prefixes[part[1] as keyof KeyPrefixes]);
        if (part === '…' || (part.startsWith('<') && part.endsWith('>'))) return '.+';
        return escape(part);
      })
      .join('');
    return new RegExp(`^${source}$`);
  });
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
