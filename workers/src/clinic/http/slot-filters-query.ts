/** Slot filters on the wire: the query parameters of GET /horarios-disponibles, shared by the http adapter and the contract server. */
import type { SlotFilters } from '../clinic-port.js';

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Slot filters as query parameters of GET /horarios-disponibles. */
export function filtersToQuery(f: SlotFilters | undefined): Record<string, string | undefined> {
  if (!f) return {};
  return {
    dias: f.days?.length ? f.days.join(',') : undefined,
    hora_desde: f.fromMinute === undefined ? undefined : hhmm(f.fromMinute),
    // 24:00 is not a valid HH:MM; a filter ending at midnight is no upper bound.
    hora_hasta: f.toMinute === undefined || f.toMinute >= 24 * 60 ? undefined : hhmm(f.toMinute),
    medico_id: f.doctorId,
    clinica_id: f.clinicId,
  };
}

/** The inverse; undefined when a parameter is malformed (the server answers 400). */
export function filtersFromQuery(q: URLSearchParams): SlotFilters | undefined {
  const out: SlotFilters = {};
  const dias = q.get('dias');
  if (dias) {
    const days = dias.split(',');
    if (!days.every((d) => DAY.test(d))) return undefined;
    out.days = days;
  }
  for (const [name, key] of [
    ['hora_desde', 'fromMinute'],
    ['hora_hasta', 'toMinute'],
  ] as const) {
    const v = q.get(name);
    if (!v) continue;
    const m = HHMM.exec(v);
    if (!m) return undefined;
    out[key] = Number(m[1]) * 60 + Number(m[2]);
  }
  if (q.get('medico_id')) out.doctorId = q.get('medico_id')!;
  if (q.get('clinica_id')) out.clinicId = q.get('clinica_id')!;
  return out;
}
