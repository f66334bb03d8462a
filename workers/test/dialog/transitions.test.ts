import { EVENT_NAMES } from '../../src/dialog/dialog-event.js';
import { GLOBAL, STEPS, TRANSITIONS, transitionFor } from '../../src/dialog/index.js';
import * as booking from '../../src/dialog/actions/booking-actions.js';
import * as appointments from '../../src/dialog/actions/appointment-actions.js';
import * as identity from '../../src/dialog/actions/identity-actions.js';

describe('dialog transition table', () => {
  it('answers every event in every step', () => {
    for (const step of STEPS) {
      for (const event of EVENT_NAMES) expect(transitionFor(step, event).action).toBeInstanceOf(Function);
    }
  });

  // The table of docs/dialog.md, row by row: state, event → action → new state.
  it.each([
    ['INICIAL', 'document', identity.identifyByDocument, 'VALIDADO'],
    ['INICIAL', 'greet', undefined, 'INICIAL'],
    ['VALIDADO', 'symptoms', booking.offerSpecialties, 'SINTOMAS_CLASIFICADOS'],
    ['VALIDADO', 'specialty', booking.showSlots, 'CITAS_MOSTRADAS'],
    ['SINTOMAS_CLASIFICADOS', 'yes', booking.chooseOfferedSpecialty, 'CITAS_MOSTRADAS'],
    ['CITAS_MOSTRADAS', 'option', booking.holdSlot, 'CITA_SELECCIONADA'],
    ['CITAS_MOSTRADAS', 'more', booking.nextPage, 'CITAS_MOSTRADAS'],
    ['CITA_SELECCIONADA', 'yes', booking.book, 'CITA_AGENDADA'],
    ['CITA_SELECCIONADA', 'no', booking.declineSlot, 'CITAS_MOSTRADAS'],
    ['CANCELACION_INICIADA', 'yes', appointments.confirmCancel, 'FINALIZADO'],
  ] as const)('%s + %s → %s', (step, event, action, next) => {
    const transition = transitionFor(step, event);
    if (action) expect(transition.action).toBe(action);
    expect(transition.next).toContain(next);
  });

  it('cancel, my appointments, reschedule, help, human and goodbye work from any step', () => {
    for (const step of STEPS) {
      expect(transitionFor(step, 'cancel').action).toBe(appointments.startCancel);
      expect(transitionFor(step, 'list').action).toBe(appointments.listAppointments);
      expect(transitionFor(step, 'reschedule').action).toBe(appointments.startReschedule);
      for (const event of ['help', 'human', 'goodbye'] as const) expect(transitionFor(step, event)).toBe(GLOBAL[event]);
    }
  });

  it('a hesitant reading ("unclear") leads to a question, never to holding or booking', () => {
    for (const step of STEPS) {
      const { action } = transitionFor(step, 'unclear');
      expect([booking.holdSlot, booking.book, appointments.confirmCancel]).not.toContain(action);
    }
    expect(Object.keys(TRANSITIONS)).toEqual([...STEPS]);
  });
});
