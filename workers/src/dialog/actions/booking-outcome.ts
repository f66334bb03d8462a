import { ClinicRequestError, ClinicUnavailableError, type Appointment, type BookFailureReason } from '../../clinic/index.js';
import type { DialogState, PendingCancel, ShownEntry } from '../dialog-state.js';
import { firstName, say, type ActionContext } from './action-context.js';

/**
 * Exactly-once booking and rescheduling against a clinic that may time out
 * (docs/dialog.md, "Booking outcome"). A booking is sent with the hold's key;
 * when no answer comes, the clinic is asked by that key before the patient is
 * told anything, and a refusal of the patient's own earlier booking counts
 * as the booking.
 */
export type BookingOutcome =
  | { kind: 'booked'; appointment: Appointment }
  | { kind: 'refused'; reason: BookFailureReason }
  /** Neither the booking nor the look-up after it got an answer. */
  | { kind: 'unknown' };

const isClinicFailure = (err: unknown): boolean => err instanceof ClinicUnavailableError || err instanceof ClinicRequestError;

/** Who the booking is for: the beneficiary (a dependent) or the patient. */
export const bookedFor = (state: DialogState): string => state.beneficiary?.id ?? state.patient!.id;

/** The key of booking `slot` for this hold; states saved before keys were kept get one from the turn. */
export const bookingKeyOf = (state: DialogState, slot: ShownEntry, ctx: ActionContext): string =>
  state.bookingKey ?? `${ctx.attemptId}:${slot.id}`;

export async function sendBooking(state: DialogState, slot: ShownEntry, key: string, ctx: ActionContext): Promise<BookingOutcome> {
  const patientId = bookedFor(state);
  let reason: BookFailureReason;
  try {
    const result = await ctx.deps.clinic.book({ slotId: slot.id, patientId, holderId: ctx.holderId, idempotencyKey: key });
    if (result.ok) return { kind: 'booked', appointment: result.appointment };
    reason = result.reason;
  } catch (err) {
    if (!isClinicFailure(err)) throw err;
    ctx.deps.logger?.warn({ err: (err as Error).message }, 'dialog: booking got no answer; asking the clinic by its key');
    return (await lookUp(slot, key, patientId, ctx).catch(() => null)) ?? { kind: 'unknown' };
  }
  // "Taken" may be this very booking, made by a request whose answer was lost; the key tells.
  if (reason === 'taken' || reason === 'held' || reason === 'idempotency_conflict') {
    const own = await lookUp(slot, key, patientId, ctx);
    if (own?.kind === 'booked') return own;
  }
  return { kind: 'refused', reason };
}

/** The booking made with `key`, if it is this slot's and still active; null when the key booked nothing. */
async function lookUp(slot: ShownEntry, key: string, patientId: string, ctx: ActionContext): Promise<BookingOutcome | null> {
  const appointment = await ctx.deps.clinic.findBooking({ idempotencyKey: key, patientId });
  if (!appointment || appointment.slot.id !== slot.id || appointment.status === 'cancelled') return null;
  return { kind: 'booked', appointment };
}

/** Tells the patient the booking is made, then drops the appointment a reschedule replaces. */
export async function confirmBooked(state: DialogState, slot: ShownEntry, ctx: ActionContext): Promise<DialogState> {
  const { texts: t, formatter } = ctx.deps;
  say(ctx, t.booked(firstName(state)!, formatter.short(slot.startsAt), slot.doctorName, slot.clinicName, state.beneficiary?.firstName));
  const booked: DialogState = { step: 'CITA_AGENDADA', patient: state.patient!, ...keepPendingCancels(state) };
  return state.rescheduleId ? finishReschedule(booked, { appointmentId: state.rescheduleId, patientId: state.patient!.id }, ctx) : booked;
}

/**
 * After the new appointment is booked, the old one goes; cancelling first
 * could leave the patient with none. A cancel that gets no answer is tried
 * once more, then kept in `pendingCancels` for the next turns.
 */
async function finishReschedule(state: DialogState, old: PendingCancel, ctx: ActionContext): Promise<DialogState> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const done = await tryCancel(old, ctx);
    if (done === 'cancelled') {
      say(ctx, ctx.deps.texts.rescheduled);
      return state;
    }
    if (done === 'gone') return state;
  }
  say(ctx, ctx.deps.texts.rescheduleCancelPending);
  await oweInBackground(old, ctx);
  return { ...state, pendingCancels: [...(state.pendingCancels ?? []), old] };
}

/**
 * The patient's next turn tries the cancel first; a background job keeps
 * trying in case there is none. Failing to queue it fails nothing: the turn's
 * booking stands, and the owed cancel stays in the state for the next turn.
 */
async function oweInBackground(pending: PendingCancel, ctx: ActionContext): Promise<void> {
  try {
    await ctx.deps.owedCancels?.owe(pending);
  } catch (err) {
    ctx.deps.logger?.warn({ err: (err as Error).message }, 'dialog: owed cancel not queued; only later turns will retry it');
  }
}

/** `cancelled`: done now; `gone`: nothing left to cancel (already cancelled elsewhere, or started); `failed`: no answer. */
async function tryCancel(pending: PendingCancel, ctx: ActionContext): Promise<'cancelled' | 'gone' | 'failed'> {
  try {
    const result = await ctx.deps.clinic.cancelAppointment(pending);
    if (!result.ok) ctx.deps.logger?.warn({ reason: result.reason }, 'dialog: old appointment not cancelled after reschedule');
    return result.ok ? 'cancelled' : 'gone';
  } catch (err) {
    if (!isClinicFailure(err)) throw err;
    ctx.deps.logger?.warn({ err: (err as Error).message }, 'dialog: cancel after reschedule got no answer; will retry');
    return 'failed';
  }
}

export function keepPendingCancels(state: DialogState): Pick<DialogState, 'pendingCancels'> {
  return state.pendingCancels?.length ? { pendingCancels: state.pendingCancels } : {};
}

/**
 * Work a previous turn left open, done before the turn's messages: a
 * booking with no known outcome is asked about (a clinic still down throws,
 * and the patient hears "intenta más tarde" with nothing else), and
 * reschedules' old appointments are cancelled (a failure waits for the next
 * turn without holding this one up). `consumed`: the message was the "sí"
 * that asked for the outcome, now answered.
 */
export async function settleOutstanding(state: DialogState, ctx: ActionContext): Promise<{ state: DialogState; consumed: boolean }> {
  let next = state;
  let consumed = false;
  if (state.pendingCancels?.length) {
    const left: PendingCancel[] = [];
    for (const pending of state.pendingCancels) {
      const done = await tryCancel(pending, ctx);
      if (done === 'failed') left.push(pending);
      else if (done === 'cancelled') say(ctx, ctx.deps.texts.previousCancelled);
    }
    const { pendingCancels: _settled, ...rest } = next;
    next = left.length ? { ...rest, pendingCancels: left } : rest;
  }
  if (next.bookingUnknown && next.held && next.patient) {
    const slot = next.held;
    const key = bookingKeyOf(next, slot, ctx);
    const found = await lookUp(slot, key, bookedFor(next), ctx);
    if (found) {
      consumed = ctx.event.name === 'yes';
      next = await confirmBooked(next, slot, ctx);
    } else {
      // The key booked nothing: the hold and its key stay, so a "sí" books with the same key.
      const { bookingUnknown: _asked, ...rest } = next;
      next = rest;
    }
  }
  return { state: next, consumed };
}
