import type { Footprint } from './footprint.js';
import type { Person } from './identify.js';

/** The export document: who, then everything held, grouped by key family (docs/operations.md, "Data held in Redis"). */
export function exportDocument(person: Person, found: Footprint, now = new Date()) {
  const families: Record<string, unknown[]> = {};
  for (const k of found.keys) {
    const { family, personal: _personal, whole: _whole, ...rest } = k;
    (families[family] ??= []).push(Object.fromEntries(Object.entries(rest).map(([f, v]) => [f, parseJson(v)])));
  }
  return {
    exportedAt: now.toISOString(),
    subject: person.input,
    person: {
      waIds: person.waIds,
      documents: person.documents,
      patientIds: person.patientIds,
      appointmentIds: person.appointmentIds,
      sessions: person.sessionKeys,
      pseudonyms: person.pseudonyms,
    },
    keys: families,
    jobs: found.jobs.map(({ job: _job, ...j }) => j),
  };
}

/** JSON inside strings (records, state values) is shown as JSON, not as escaped text. */
function parseJson(value: unknown): unknown {
  if (typeof value === 'string') {
    if (!/^[[{]/.test(value)) return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  if (Array.isArray(value)) return value.map(parseJson);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, parseJson(v)]));
  return value;
}
