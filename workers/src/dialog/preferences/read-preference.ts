import { addDays, localDateOf, type LocalDate, type SpecialtyCode } from '../../clinic/index.js';
import { extractDateTimes } from '../../nlu/extractors/datetime.js';
import type { DateTimeMention } from '../../nlu/index.js';
import type { Directory } from './clinic-directory.js';
import type { PreferenceField, PreferenceUpdate, SlotPreference } from './slot-preference.js';
import { fold, sameWord } from './text.js';

const WEEKDAY_WORDS = ['domingo', 'lunes', 'martes', 'miercoles', 'jueves', 'viernes', 'sabado'];
const TYPO_TARGETS = [
  ...WEEKDAY_WORDS,
  'manana',
  'tarde',
  'temprano',
  'semana',
  'despues',
  'diciembre',
  'noviembre',
  'septiembre',
  'octubre',
  'febrero',
];

// "cualquier día nomás", "el día que sea", "a cualquier hora", "con cualquier doctor", "donde sea"…
const CLEAR: [PreferenceField[], RegExp][] = [
  [
    ['day'],
    /\b(?:cualquier(?:a)? (?:dia|fecha)|el dia que sea|(?:el )?dia que (?:haya|tengas)|cuando sea|otro dia|otra fecha|no importa el dia)\b/,
  ],
  [['time'], /\b(?:(?:a )?cualquier hora|a la hora que sea|(?:la )?hora que sea|no importa la hora|otra hora)\b/],
  [
    ['doctor'],
    /\b(?:(?:con )?cualquier (?:doctor|doctora|medico|medica|dr|dra)|con quien sea|(?:el|la) (?:doctor|doctora|medico|medica) que sea|otr[oa] (?:doctor|doctora|medico|medica))\b/,
  ],
  [['clinic'], /\b(?:(?:en )?cualquier (?:clinica|sucursal|lugar|sede|ciudad)|donde sea|no importa (?:donde|la clinica))\b/],
  [
    ['day', 'time', 'doctor', 'clinic'],
    /\b(?:lo (?:mas pronto|antes)(?: posible)?|lo que (?:haya|tengas|sea)|como sea|me da igual|sin preferencia|cualquiera (?:nomas|no mas|esta bien|noma)|el (?:primero|primer horario) que haya|lo primero que haya)\b/,
  ],
];

const PARTS: Record<'manana' | 'tarde' | 'noche' | 'temprano' | 'mediodia', [number, number]> = {
  manana: [0, 12 * 60],
  tarde: [12 * 60, 19 * 60],
  noche: [18 * 60, 24 * 60],
  temprano: [0, 10 * 60],
  mediodia: [11 * 60 + 30, 14 * 60],
};

const NEGATED_DAY =
  /\b(?:hoy|manana|lunes|martes|miercoles|jueves|viernes|sabado|domingo|ese dia)\b[^.]{0,12}\bno (?:puedo|me (?:sirve|queda|conviene)|voy|estoy)\b|\bno (?:puedo|me (?:sirve|queda)) (?:el |este |hoy|manana)/;

export interface ReadContext {
  now: number;
  timeZone: string;
  directory?: Directory | undefined;
  /** Known specialty, to tell apart doctors of the same surname. */
  specialty?: SpecialtyCode | undefined;
}

// Cheap gate: a preference needs a day, a time, a doctor, a place or a "cualquier".
const MAYBE =
  /\d|hoy|ma[nñ]an|lunes|martes|mi[eé]rcol|jueves|juebes|viernes|s[aá]bad|domingo|semana|finde|fin de|tarde|noche|temprano|mediod|dr|doc|lic|con |en |cualquier|sea|pronto|antes|igual|haya|nom[aá]s|d[ií]a|fecha|hora|m[eé]dic|cl[ií]nica|sucursal|donde/i;

/** The preference a message expresses, or undefined when it expresses none. */
export function readPreference(text: string, ctx: ReadContext): PreferenceUpdate | undefined {
  if (!text || !MAYBE.test(text)) return undefined;
  const t = fixTypos(fold(text));
  const set: SlotPreference = {};
  const clear: PreferenceField[] = [];
  for (const [fields, pattern] of CLEAR) if (pattern.test(t)) clear.push(...fields.filter((f) => !clear.includes(f)));

  const mentions = extractDateTimes(t);
  // "hoy no puedo", "el lunes no me sirve": that day is out, not wanted.
  if (NEGATED_DAY.test(t)) {
    if (!clear.includes('day')) clear.push('day');
  } else Object.assign(set, readDays(t, mentions, ctx));
  Object.assign(set, readTime(t, mentions));
  const doctor = ctx.directory ? readDoctor(t, ctx.directory, ctx.specialty) : undefined;
  if (doctor) Object.assign(set, { doctorId: doctor.id, doctorName: doctor.name });
  const site = ctx.directory ? readSite(t, ctx.directory) : undefined;
  if (site) Object.assign(set, { clinicId: site.id, clinicName: site.name });

  const cleared = clear.filter((f) => !isSet(set, f));
  if (Object.keys(set).length === 0 && cleared.length === 0) return undefined;
  return { set, clear: cleared, ...(doctor && { specialty: doctor.specialty }) };
}

function isSet(p: SlotPreference, field: PreferenceField): boolean {
  switch (field) {
    case 'day':
      return p.days !== undefined;
    case 'time':
      return p.fromMinute !== undefined || p.toMinute !== undefined;
    case 'doctor':
      return p.doctorId !== undefined;
    case 'clinic':
      return p.clinicId !== undefined;
  }
}

function fixTypos(t: string): string {
  return t
    .split(' ')
    .map((w) => (w.length < 4 || TYPO_TARGETS.includes(w) ? w : (TYPO_TARGETS.find((k) => sameWord(w, k)) ?? w)))
    .join(' ')
    .replace(/\bfinde\b/g, 'fin de semana')
    .replace(/\bx\b/g, 'por');
}

const iso = (d: LocalDate) => `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
const weekdayOf = (d: LocalDate) => new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();

function readDays(t: string, mentions: DateTimeMention[], ctx: ReadContext): SlotPreference {
  const today = localDateOf(ctx.now, ctx.timeZone);
  const date = mentions.find((m) => m.kind === 'date');
  if (date?.kind === 'date') {
    const d = resolveDate(today, date.day, date.month, date.year);
    return d ? { days: [iso(d)], day: { kind: 'date', date: iso(d) } } : {};
  }
  const relative = mentions.find((m) => m.kind === 'relative_day');
  if (relative?.kind === 'relative_day') {
    return { days: [iso(addDays(today, relative.offsetDays))], day: { kind: 'relative', offset: relative.offsetDays } };
  }
  const weekdays = [...new Set(mentions.flatMap((m) => (m.kind === 'weekday' ? [m.weekday] : [])))];
  if (weekdays.length === 1) {
    const weekday = weekdays[0]!;
    const ahead = (weekday - weekdayOf(today) + 7) % 7;
    // "el lunes" said on a Monday means next week's, unless "hoy"/"este" says otherwise.
    const offset = ahead === 0 && !/\b(?:este|esta|hoy)\b/.test(t) ? 7 : ahead;
    const d = addDays(today, offset);
    return { days: [iso(d)], day: { kind: 'weekday', weekday, date: iso(d) } };
  }
  if (weekdays.length > 1) {
    const days = weekdays.map((w) => iso(addDays(today, (w - weekdayOf(today) + 7) % 7 || 7)));
    return { days: days.sort(), day: { kind: 'weekdays', weekdays } };
  }
  if (/\bfin de semana\b/.test(t)) {
    const sat = addDays(today, (6 - weekdayOf(today) + 7) % 7);
    const days = weekdayOf(today) === 0 ? [iso(today)] : [iso(sat), iso(addDays(sat, 1))];
    return { days, day: { kind: 'weekend' } };
  }
  const nextWeek = mentions.some((m) => m.kind === 'relative_week');
  if (nextWeek || /\besta semana\b/.test(t)) {
    const toMonday = (8 - weekdayOf(today)) % 7 || 7;
    const start = nextWeek ? toMonday : 0;
    const end = nextWeek ? toMonday + 7 : toMonday;
    const days = Array.from({ length: end - start }, (_, i) => iso(addDays(today, start + i)));
    return { days, day: { kind: 'week', which: nextWeek ? 'next' : 'this' } };
  }
  return {};
}

function resolveDate(today: LocalDate, day: number, month?: number, year?: number): LocalDate | undefined {
  const candidates: LocalDate[] = [];
  if (month !== undefined) {
    const y = year ?? today.year;
    candidates.push({ year: y, month, day }, { year: y + 1, month, day });
  } else {
    candidates.push({ year: today.year, month: today.month, day });
    const next = today.month === 12 ? { year: today.year + 1, month: 1 } : { year: today.year, month: today.month + 1 };
    candidates.push({ ...next, day });
  }
  const todayIso = iso(today);
  return candidates.find((c) => {
    const real = new Date(Date.UTC(c.year, c.month - 1, c.day));
    return real.getUTCDate() === c.day && iso(c) >= todayIso;
  });
}

// A bare hour in a clinic is daytime: "las 5" is 17:00, "las 9" is 09:00.
const clinicHour = (hour: number, text: string) => (hour >= 1 && hour <= 6 && !/\b(?:am|a m|de la manana)\b/.test(text) ? hour + 12 : hour);

function readTime(t: string, mentions: DateTimeMention[]): SlotPreference {
  const bound =
    /\b(despues de|desde|a partir de|pasadas|antes de|hasta)(?: las?)? (\d{1,2})(?:[:h](\d{2}))?(\s*(?:am|pm|de la tarde|de la manana))?/.exec(
      t,
    );
  if (bound) {
    let hour = Number(bound[2]);
    if (/pm|tarde/.test(bound[4] ?? '') && hour < 12) hour += 12;
    else if (!bound[4]) hour = clinicHour(hour, t);
    const minute = hour * 60 + Number(bound[3] ?? 0);
    if (hour <= 23) {
      const before = /antes|hasta/.test(bound[1]!);
      return before ? { toMinute: minute, time: { kind: 'before', minute } } : { fromMinute: minute, time: { kind: 'after', minute } };
    }
  }
  const at = mentions.find((m) => m.kind === 'time');
  if (at?.kind === 'time') {
    if (at.hour === 12 && at.minute === 0 && /mediodia/.test(at.text)) return part('mediodia');
    const hour = /am|pm|manana|tarde|noche/.test(at.text) ? at.hour : clinicHour(at.hour, t);
    const minute = hour * 60 + at.minute;
    return { fromMinute: minute, toMinute: minute + 60, time: { kind: 'at', minute } };
  }
  if (/\b(?:temprano|tempranito|a primera hora|bien temprano)\b/.test(t)) return part('temprano');
  const p = mentions.find((m) => m.kind === 'part_of_day');
  if (p?.kind === 'part_of_day') return part(p.part);
  // "mañana en la tarde" is read by the date extractor; "tardecita", "en las tardes" and a bare "tarde" after a day are not.
  if (/\b(?:tardecita|tardes|por la tarde|en la tarde|de tarde)\b/.test(t)) return part('tarde');
  if (/\b(?:mananas|en la manana|por la manana|de manana)\b/.test(t)) return part('manana');
  return {};
}

function part(name: keyof typeof PARTS): SlotPreference {
  const [fromMinute, toMinute] = PARTS[name];
  return { fromMinute, toMinute, time: { kind: 'part', part: name } };
}

// A doctor is named after a title or "con": "con la Dra. Romero", "doctor salazar", "con Quispe".
const DOCTOR_CUE = /\b(?:dr|dra|doc|doctor|doctora|dotor|dotora|lic|licenciada|licenciado|con(?: el| la)?)\s+((?:[a-z]+\s*){1,3})/g;

function readDoctor(
  t: string,
  directory: Directory,
  specialty: SpecialtyCode | undefined,
): Directory['doctors'][number]['doctor'] | undefined {
  const words = new Set<string>();
  for (const m of t.matchAll(DOCTOR_CUE)) for (const w of m[1]!.trim().split(' ')) if (w.length >= 3) words.add(w);
  if (words.size === 0) return undefined;
  const hits = directory.doctors.filter((d) => d.tokens.some((token) => [...words].some((w) => sameWord(w, token))));
  const pool = hits.length > 1 && specialty ? hits.filter((h) => h.doctor.specialty === specialty) : hits;
  return pool.length === 1 ? pool[0]!.doctor : undefined;
}

function readSite(t: string, directory: Directory): Directory['sites'][number]['site'] | undefined {
  const padded = ` ${t} `;
  const words = t.split(' ');
  const hits = directory.sites.filter(({ names }) =>
    // Short names ("cocha", "scz") must be exact: "coche" is not Cochabamba.
    names.some((name) =>
      name.includes(' ') ? padded.includes(` ${name} `) : words.some((w) => (name.length >= 6 ? sameWord(w, name) : w === name)),
    ),
  );
  return hits.length === 1 ? hits[0]!.site : undefined;
}
