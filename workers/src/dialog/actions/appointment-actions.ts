import type { Appointment } from '../../clinic/index.js';
import { backToMenu, type DialogState, type ShownEntry } from '../dialog-state.js';
import { clip, LIMITS } from '../text-limits.js';
import { firstName, say, type Action, type ActionContext } from './action-context.js';
import { showSlots } from './booking-actions.js';
import { askDocument } from './ask-document.js';
import { replyId } from '../reply-ids.js';

function toShown(a: Appointment, holderId: string, names: Map<string, string>): ShownEntry {
  const s = a.slot;
  const dependent = a.patientId === holderId ? undefined : { id: a.patientId, firstName: names.get(a.patientId) ?? '' };
  return {
    id: a.id,
    startsAt: s.startsAt,
    doctorName: s.doctorName,
    clinicName: s.clinicName,
    specialty: s.specialty,
    ...(dependent && { dependent }),
  };
}

/** Only ever the identified patient's own and their dependents' appointments: the port filters by patient id. */
async function ownAppointments(state: DialogState, ctx: ActionContext): Promise<ShownEntry[]> {
  const holderId = state.patient!.id;
  const appointments = await ctx.deps.clinic.listAppointments(holderId);
  const names = new Map<string, string>();
  if (appointments.some((a) => a.patientId !== holderId)) {
    for (const d of await ctx.deps.clinic.listDependents(holderId)) names.set(d.id, d.firstName);
  }
  // An appointment a reschedule replaced is as good as cancelled, even while the clinic has not answered the cancel.
  const replaced = new Set(state.pendingCancels?.map((p) => p.appointmentId));
  return appointments.filter((a) => !replaced.has(a.id)).map((a) => toShown(a, holderId, names));
}

/** Who an appointment is for, as the lists say it. */
const whoOf = (a: ShownEntry, state: DialogState): string => a.dependent?.firstName || firstName(state)!;

export const listAppointments: Action = async (state, ctx) => {
  if (!state.patient) return askDocument(state, ctx);
  const { texts: t, formatter } = ctx.deps;
  const appointments = await ownAppointments(state, ctx);
  if (appointments.length === 0) {
    say(ctx, t.noAppointments(firstName(state)));
    return backToMenu(state);
  }
  const lines = appointments.map((a, i) =>
    t.appointmentLine(i + 1, formatter.short(a.startsAt), t.specialties[a.specialty], a.doctorName, whoOf(a, state)),
  );
  say(ctx, t.appointmentsList(lines));
  return backToMenu(state);
};

export const startCancel: Action = (state, ctx) => startChoosing(state, ctx, 'cancel');
export const startReschedule: Action = (state, ctx) => startChoosing(state, ctx, 'reschedule');

/** CANCELACION_INICIADA: one appointment goes straight to its question; several are listed to pick from. */
async function startChoosing(state: DialogState, ctx: ActionContext, purpose: 'cancel' | 'reschedule'): Promise<DialogState> {
  if (!state.patient) return askDocument(state, ctx);
  const { texts: t, formatter } = ctx.deps;
  const appointments = await ownAppointments(state, ctx);
  if (appointments.length === 0) {
    say(ctx, t.noAppointments(firstName(state)));
    return backToMenu(state);
  }
  const base: DialogState = { ...backToMenu(state, 'CANCELACION_INICIADA'), appointments, purpose };
  if (appointments.length === 1) return chosen(base, appointments[0]!, ctx);
  ctx.out.push({
    kind: 'list',
    body: purpose === 'cancel' ? t.pickAppointmentCancel : t.pickAppointmentReschedule,
    buttonText: t.appointmentsButton,
    sections: [
      {
        title: t.appointmentsSection,
        rows: appointments.slice(0, 10).map((a) => ({
          id: replyId.appointment(a.id),
          title: clip(formatter.short(a.startsAt), LIMITS.rowTitle),
          description: clip(`${t.specialties[a.specialty]} · ${whoOf(a, state)} · ${a.doctorName}`, LIMITS.rowDescription),
        })),
      },
    ],
  });
  return base;
}

export const chooseAppointment: Action = async (state, ctx) => {
  const appointment = state.appointments?.[(ctx.event.option ?? 0) - 1];
  if (!appointment) return repromptAppointment(state, ctx);
  return chosen(state, appointment, ctx);
};

async function chosen(state: DialogState, appointment: ShownEntry, ctx: ActionContext): Promise<DialogState> {
  const { texts: t } = ctx.deps;
  if (state.purpose === 'reschedule') {
    say(ctx, t.rescheduleIntro(t.specialties[appointment.specialty]));
    const next: DialogState = {
      ...backToMenu(state),
      rescheduleId: appointment.id,
      specialty: appointment.specialty,
      ...(appointment.dependent && { beneficiary: appointment.dependent }),
    };
    return showSlots(next, { ...ctx, event: { ...ctx.event, specialty: appointment.specialty } });
  }
  askCancelConfirmation(ctx, appointment);
  return { ...state, chosenAppointment: appointment };
}

/** "¿Cancelo tu cita del …?" with Cancel / Keep buttons, whoever asks (list, reminder). */
export function askCancelConfirmation(ctx: ActionContext, appointment: ShownEntry): void {
  const { texts: t, formatter } = ctx.deps;
  ctx.out.push({
    kind: 'buttons',
    body: t.confirmCancel(formatter.short(appointment.startsAt), t.specialties[appointment.specialty], appointment.dependent?.firstName),
    buttons: [
      { id: 'affirm', title: t.cancelButton },
      { id: 'deny', title: t.keepButton },
    ],
  });
}

export const repromptAppointment: Action = async (state, ctx) => {
  if (!state.chosenAppointment) {
    say(ctx, state.purpose === 'reschedule' ? ctx.deps.texts.pickAppointmentReschedule : ctx.deps.texts.pickAppointmentCancel);
    return state;
  }
  return chosen(state, state.chosenAppointment, ctx);
};

export const confirmCancel: Action = async (state, ctx) => {
  const t = ctx.deps.texts;
  if (!state.chosenAppointment || !state.patient) return repromptAppointment(state, ctx);
  const result = await ctx.deps.clinic.cancelAppointment({ appointmentId: state.chosenAppointment.id, patientId: state.patient.id });
  if (result.ok) say(ctx, t.cancelled);
  else say(ctx, result.reason === 'too_late' ? t.cancelTooLate : t.cancelGone);
  if (state.fromReminder) ctx.deps.reminders?.onReply?.('cancel', result.ok ? 'ok' : 'failed');
  return backToMenu(state, 'FINALIZADO');
};

export const keepAppointment: Action = async (state, ctx) => {
  say(ctx, ctx.deps.texts.kept);
  return backToMenu(state);
};
