import type { DialogState, ShownEntry } from '../dialog-state.js';
import type { ReminderRecord } from '../reminder-port.js';
import { say, type Action, type ActionContext } from './action-context.js';
import { askCancelConfirmation } from './appointment-actions.js';

/**
 * Replies to a reminder (docs/reminders.md). The payload names an appointment; it is
 * acted on only when the reminder record of that appointment has the
 * sender's phone (the identity rule of docs/product.md: the patient's phone matches
 * the sender). Anything else gets the same polite refusal, so a made-up
 * payload reveals nothing about other patients' appointments.
 */
async function ownReminder(ctx: ActionContext): Promise<ReminderRecord | undefined> {
  const id = ctx.event.appointmentId;
  const sender = ctx.input.address.waId;
  if (!id || !sender || !ctx.deps.reminders) return undefined;
  const record = await ctx.deps.reminders.find(id);
  return record && record.phone === sender ? record : undefined;
}

function refuse(state: DialogState, ctx: ActionContext, action: 'confirm' | 'cancel'): DialogState {
  ctx.deps.logger?.warn({ action }, "dialog: reminder reply for an appointment that is not the sender's (or unknown); refused");
  ctx.deps.reminders?.onReply?.(action, 'refused');
  say(ctx, ctx.deps.texts.reminder.notYours);
  return state;
}

/** The reminded patient, as if identified: their phone matched the appointment's patient. */
function asPatient(state: DialogState, record: ReminderRecord): DialogState['patient'] {
  return state.patient?.id === record.patientId ? state.patient : { id: record.patientId, firstName: record.firstName };
}

export const confirmFromReminder: Action = async (state, ctx) => {
  const record = await ownReminder(ctx);
  if (!record) return refuse(state, ctx, 'confirm');
  const { texts: t, formatter } = ctx.deps;
  const patient = asPatient(state, record)!;
  const result = await ctx.deps.clinic.confirmAppointment({ appointmentId: record.appointmentId, patientId: record.patientId });
  if (result.ok) {
    say(
      ctx,
      t.reminder.confirmed(
        patient.firstName.split(' ')[0]!,
        t.specialties[record.specialty],
        formatter.short(record.startsAt),
        record.dependent?.firstName,
      ),
    );
  } else {
    say(ctx, result.reason === 'cancelled' ? t.reminder.alreadyCancelled : t.reminder.gone);
  }
  ctx.deps.reminders?.onReply?.('confirm', result.ok ? 'ok' : 'failed');
  return { step: 'VALIDADO', patient };
};

/** Straight to the cancel question for the reminded appointment (the usual confirmation step follows). */
export const cancelFromReminder: Action = async (state, ctx) => {
  const record = await ownReminder(ctx);
  if (!record) return refuse(state, ctx, 'cancel');
  const appointment: ShownEntry = {
    id: record.appointmentId,
    startsAt: record.startsAt,
    doctorName: record.doctorName,
    clinicName: record.clinicName,
    specialty: record.specialty,
    ...(record.dependent && { dependent: record.dependent }),
  };
  askCancelConfirmation(ctx, appointment);
  return {
    step: 'CANCELACION_INICIADA',
    patient: asPatient(state, record)!,
    appointments: [appointment],
    chosenAppointment: appointment,
    purpose: 'cancel',
    fromReminder: true,
  };
};
