import { zonedInstant, type Slot, type SlotPage, type SpecialtyCode } from '../../clinic/index.js';
import { backToMenu, type DialogState, type ShownEntry } from '../dialog-state.js';
import { describePreference } from '../preferences/describe.js';
import { isEmptyPreference, toFilters, without, type SlotPreference } from '../preferences/slot-preference.js';
import { clip, LIMITS } from '../text-limits.js';
import { say, type ActionContext } from './action-context.js';
import { replyId } from '../reply-ids.js';

const DEFAULT_PAGE_SIZE = 9;

function keepReschedule(state: DialogState): Partial<DialogState> {
  return state.rescheduleId ? { rescheduleId: state.rescheduleId } : {};
}

function query(
  ctx: ActionContext,
  specialty: SpecialtyCode,
  page: number,
  preference: SlotPreference | undefined,
  from?: string,
): Promise<SlotPage> {
  const filters = toFilters(preference);
  return ctx.deps.clinic.listFreeSlots({
    specialty,
    page,
    pageSize: ctx.deps.options.pageSize ?? DEFAULT_PAGE_SIZE,
    holderId: ctx.holderId,
    ...(filters && { filters }),
    ...(from && { from }),
  });
}

/**
 * The patient's pick could not be kept (someone took the slot, the hold ran
 * out, the row was not on the list on record): a fresh first page whose body
 * starts with why, in one bubble, not a text and then a list (under load the
 * two could arrive far apart, and a promise of "others" could be left without
 * them); with nothing left to show, why and that there is nothing.
 */
export function relist(
  state: DialogState,
  specialty: SpecialtyCode,
  ctx: ActionContext,
  reason: string,
  intro: string = ctx.deps.texts.othersBelow,
): Promise<DialogState> {
  return listPage(state, specialty, 1, ctx, intro, reason);
}

/**
 * A page of free slots honouring the patient's preference, as a list whose
 * body says what was applied. When the preference matches nothing, it says
 * so and shows the nearest alternatives instead (see `alternatives`).
 * `intro` goes in the list body before the usual text ("Claro, aquí tienes
 * otros horarios"); `reason` (see `relist`) before everything, list or not.
 */
export async function listPage(
  state: DialogState,
  specialty: SpecialtyCode,
  page: number,
  ctx: ActionContext,
  intro?: string,
  reason?: string,
): Promise<DialogState> {
  const t = ctx.deps.texts;
  const name = t.specialties[specialty];
  let preference = isEmptyPreference(state.preference) ? undefined : state.preference;
  let result = await query(ctx, specialty, page, preference);
  let note = intro;
  if (result.slots.length === 0 && page === 1 && preference) {
    const found = await alternatives(ctx, specialty, preference);
    note = t.noMatch(name, describePreference(preference, t));
    if (found) {
      preference = found.preference;
      result = found.result;
      note = `${note} ${isEmptyPreference(preference) ? t.nearestAny : t.nearest}`;
    }
  }
  if (result.slots.length === 0) {
    say(ctx, lead(reason, page > 1 ? t.noMoreSlots : note && preference ? note : t.noSlots(name)));
    return page > 1 ? { ...state, hasMore: false } : { ...backToMenu(state), ...keepReschedule(state) };
  }
  const shown = result.slots.map(toShown);
  const rows = shown.map((s) => ({
    id: replyId.slot(s.id),
    title: clip(ctx.deps.formatter.short(s.startsAt), LIMITS.rowTitle),
    description: clip(`${s.doctorName} · ${s.clinicName}`, LIMITS.rowDescription),
  }));
  if (result.hasMore) rows.push({ id: 'more_options', title: t.moreRowTitle, description: t.moreRowDescription });
  const applied = describePreference(preference, t);
  // A note that already introduces the list ("Estos son los próximos horarios…") needs only the call to pick.
  const body =
    note && !applied && page === 1 ? `${note}\n${t.pickOne}` : [note, t.slotsBody(name, page, applied)].filter(Boolean).join('\n');
  ctx.out.push({
    kind: 'list',
    body: clip(lead(reason, body), LIMITS.body),
    buttonText: t.slotsButton,
    sections: [{ title: clip(name, LIMITS.rowTitle), rows }],
  });
  const next: DialogState = { ...state, step: 'CITAS_MOSTRADAS', specialty, page, shown, hasMore: result.hasMore };
  if (preference) next.preference = preference;
  else delete next.preference;
  return next;
}

function lead(reason: string | undefined, text: string): string {
  return reason ? `${reason} ${text}` : text;
}

/**
 * Nothing fits the preference: relax one part at a time, the narrowest
 * first (time of day, then the day, starting from the day asked for, then
 * the doctor, then the site), and at last drop it all. The first relaxation
 * with free slots wins: the closest times that day, the closest days at that
 * time, another doctor of the same specialty.
 */
async function alternatives(
  ctx: ActionContext,
  specialty: SpecialtyCode,
  preference: SlotPreference,
): Promise<{ preference: SlotPreference; result: SlotPage } | undefined> {
  const firstDay = preference.days?.[0];
  const fromDay = firstDay ? dayStart(firstDay, ctx) : undefined;
  const tries: { preference: SlotPreference; from?: string }[] = [];
  if (preference.time) tries.push({ preference: without(preference, 'time') });
  if (preference.days) tries.push({ preference: without(preference, 'day'), ...(fromDay && { from: fromDay }) });
  if (preference.doctorId) tries.push({ preference: without(preference, 'doctor') });
  if (preference.clinicId) tries.push({ preference: without(preference, 'clinic') });
  if (fromDay) tries.push({ preference: {}, from: fromDay });
  tries.push({ preference: {} });
  for (const attempt of tries) {
    const result = await query(ctx, specialty, 1, attempt.preference, attempt.from);
    if (result.slots.length > 0) return { preference: attempt.preference, result };
  }
  return undefined;
}

/** Clinic-local midnight of that day: listing from there finds the days right after it first. */
function dayStart(isoDay: string, ctx: ActionContext): string {
  const [year, month, day] = isoDay.split('-').map(Number);
  return new Date(zonedInstant({ year: year!, month: month!, day: day! }, 0, ctx.deps.formatter.timeZone)).toISOString();
}

export function toShown(slot: Slot): ShownEntry {
  return { id: slot.id, startsAt: slot.startsAt, doctorName: slot.doctorName, clinicName: slot.clinicName, specialty: slot.specialty };
}
