import type { ClinicSite, SpecialtyCode } from '../../clinic/index.js';
import type { DialogState } from '../dialog-state.js';
import type { Directory } from '../preferences/clinic-directory.js';
import { say, type Action, type ActionContext } from './action-context.js';
import { showSlots } from './booking-actions.js';
import { relist } from './slot-listing.js';

/**
 * A question about the clinic (address, hours, phone, price, insurance,
 * what to bring, preparation), answered from the clinic's data from any
 * step. The state is returned unchanged, so a held slot and the list on
 * screen stay valid; a short line says how to go on from that step.
 */
export const answerInfo: Action = async (state, ctx) => {
  const t = ctx.deps.texts;
  const directory = await ctx.deps.directory.get();
  if (!directory) {
    say(ctx, t.unavailable);
    return state;
  }
  const sites = sitesMeant(state, ctx, directory);
  const specialty = ctx.event.specialty ?? state.held?.specialty ?? state.specialty;
  const parts = (ctx.event.topics ?? []).map((topic) => answer(topic, sites, specialty, directory, ctx));
  say(ctx, parts.join('\n\n'));
  const pinned = sites.length === 1 && ctx.event.topics?.includes('address') ? sites[0] : undefined;
  if (pinned?.location) {
    ctx.out.push({ kind: 'location', ...pinned.location, name: pinned.name, address: pinned.address });
  }
  return resume(state, ctx);
};

/**
 * Which site the patient means: one named in the message, else the one of
 * the held slot or of every row on screen, else those with doctors of the
 * specialty in play; otherwise all of them (each answered briefly).
 */
function sitesMeant(state: DialogState, ctx: ActionContext, directory: Directory): ClinicSite[] {
  const all = directory.info.clinics;
  const byId = (id: string | undefined) => all.filter((c) => c.id === id);
  const named = byId(ctx.event.preference?.set.clinicId);
  if (named.length > 0) return named;
  if (state.held) return all.filter((c) => c.name === state.held!.clinicName);
  const onScreen = new Set(state.shown?.map((s) => s.clinicName));
  if (onScreen.size === 1) return all.filter((c) => onScreen.has(c.name));
  const preferred = byId(state.preference?.clinicId);
  if (preferred.length > 0) return preferred;
  const specialty = ctx.event.specialty ?? state.specialty;
  if (specialty) {
    const ids = new Set(directory.info.doctors.filter((d) => d.specialty === specialty).map((d) => d.clinicId));
    const withIt = all.filter((c) => ids.has(c.id));
    if (withIt.length > 0) return withIt;
  }
  return all;
}

function answer(
  topic: NonNullable<ActionContext['event']['topics']>[number],
  sites: ClinicSite[],
  specialty: SpecialtyCode | undefined,
  directory: Directory,
  ctx: ActionContext,
): string {
  const t = ctx.deps.texts;
  const i = t.info;
  const each = (line: (c: ClinicSite) => string) =>
    sites.length === 1 ? line(sites[0]!) : sites.map((c) => `• ${c.name}: ${line(c)}`).join('\n');
  switch (topic) {
    case 'address':
      return sites.length === 1 ? i.address(sites[0]!.name, sites[0]!.address) : i.addresses(each((c) => c.address));
    case 'hours':
      return sites.length === 1 ? i.hours(sites[0]!.name, sites[0]!.openingHours) : i.hoursEach(each((c) => c.openingHours));
    case 'phone':
      return sites.length === 1 ? i.phone(sites[0]!.name, sites[0]!.phone) : i.phones(each((c) => c.phone));
    case 'insurance':
      return sites.length === 1
        ? i.insurance(sites[0]!.name, sites[0]!.insurance.join(', '))
        : i.insuranceEach(each((c) => c.insurance.join(', ')));
    case 'price': {
      const info = directory.info.specialties;
      const one = specialty && info.find((s) => s.code === specialty);
      if (one) return i.price(t.specialties[one.code], `${one.currency} ${one.price}`);
      return i.prices(info.map((s) => `• ${t.specialties[s.code]}: ${s.currency} ${s.price}`).join('\n'));
    }
    case 'bring': {
      const prep = specialty && directory.info.specialties.find((s) => s.code === specialty)?.preparation;
      return [
        i.bring(directory.info.whatToBring.map((b) => `• ${b}`).join('\n')),
        prep ? i.preparation(t.specialties[specialty], prep) : '',
      ]
        .filter(Boolean)
        .join('\n');
    }
    case 'preparation': {
      if (!specialty) {
        const fasting = directory.info.specialties.filter((s) => /ayun/i.test(s.preparation ?? ''));
        return i.preparationAsk(fasting.map((s) => t.specialties[s.code]).join(', '));
      }
      const prep = directory.info.specialties.find((s) => s.code === specialty)?.preparation;
      return prep ? i.preparation(t.specialties[specialty], prep) : i.noPreparation(t.specialties[specialty]);
    }
  }
}

/** One line (or the step's own buttons) to carry on from where the patient was. */
async function resume(state: DialogState, ctx: ActionContext): Promise<DialogState> {
  const t = ctx.deps.texts;
  switch (state.step) {
    case 'CITA_SELECCIONADA': {
      const slot = state.held!;
      // Reading the answer takes time: extend the hold so the slot is still the patient's when they confirm.
      const hold = await ctx.deps.clinic.holdSlot(slot.id, ctx.holderId, ctx.deps.options.holdSeconds);
      if (!hold.ok) {
        return relist({ ...state, held: undefined }, slot.specialty, ctx, t.slotTaken);
      }
      ctx.out.push({
        kind: 'buttons',
        body: t.info.resumeConfirm(ctx.deps.formatter.short(slot.startsAt), slot.doctorName),
        buttons: [
          { id: 'affirm', title: t.confirmButton },
          { id: 'deny', title: t.otherSlotButton },
        ],
      });
      return state;
    }
    case 'CITAS_MOSTRADAS':
      say(ctx, t.info.resumeList);
      return state;
    case 'SINTOMAS_CLASIFICADOS':
      say(ctx, t.info.resumeSpecialty);
      return state;
    case 'CANCELACION_INICIADA':
      say(ctx, t.info.resumeCancel);
      return state;
    case 'VERIFICANDO':
      say(ctx, t.birthDateFormat);
      return state;
    case 'INICIAL':
      say(ctx, state.goal ? t.askDocumentFor[state.goal] : t.info.resumeDocument);
      return state;
    default:
      // "¿cuánto cuesta el cardiólogo? quiero una cita": the question is answered, then the booking goes on.
      if (ctx.event.specialty && ctx.event.nlu?.intent === 'book_appointment') return showSlots(state, ctx);
      say(ctx, t.info.anythingElse);
      return state;
  }
}
