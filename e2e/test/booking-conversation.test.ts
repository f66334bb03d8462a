/**
 * The simulated patient of bench:pipeline's booking load and the dialog soak
 * (bench/lib/booking-conversation.ts), on its own: what it answers to what it
 * was sent, and that replies arriving in pieces do not end its conversation.
 */
import type { SentRecord } from '@medcita/testkit/simulator';
import { BookingConversation, WAIT } from '../../bench/lib/booking-conversation.js';

let ids = 0;
const sent = (payload: Record<string, unknown>): SentRecord => ({
  phoneNumberId: '1',
  to: '59170000001',
  type: String(payload.type),
  payload,
  messageId: `wamid.out.${++ids}`,
  receivedAt: Date.now(),
});
const text = (body: string) => sent({ type: 'text', text: { body } });
const slotList = (...slots: string[]) =>
  sent({
    type: 'interactive',
    interactive: {
      type: 'list',
      body: { text: 'Elige uno 👇' },
      action: { sections: [{ rows: slots.map((id) => ({ id: `slot:${id}`, title: id })) }] },
    },
  });

/** A conversation that has said hola, its document and what it wants: the next replies are the list's. */
function askedForSlots(): BookingConversation {
  const conv = new BookingConversation(0, '1234567');
  expect(conv.next([])).toMatchObject({ type: 'text', text: { body: 'hola' } });
  expect(conv.next([text('Hola, ¿me das tu documento?')])).toMatchObject({ text: { body: '1234567' } });
  expect(conv.next([text('¿En qué te ayudo?')])).toMatchObject({ text: { body: expect.stringMatching(/^quiero una cita de/) } });
  return conv;
}

describe('booking conversation', () => {
  it('picks a slot from the list it was sent', () => {
    const conv = askedForSlots();
    expect(conv.next([slotList('a', 'b', 'c')])).toMatchObject({ type: 'interactive', interactive: { type: 'list_reply' } });
    expect(conv.failure).toBeUndefined();
  });

  it('waits for more when all it saw is a late reply of the turn before, then picks from the list that follows', () => {
    const conv = askedForSlots();
    const late = [text('¿En qué te ayudo, Paciente0? Puedes contarme tus síntomas')];
    expect(conv.next(late)).toBe(WAIT);
    expect(conv.next([...late, slotList('a', 'b')])).toMatchObject({ interactive: { type: 'list_reply' } });
    expect(conv.failure).toBeUndefined();
  });

  it('gives up, saying what it saw, when three more looks bring nothing to act on', () => {
    const conv = askedForSlots();
    const nothing = [text('Uy, ese horario se acaba de ocupar 😕.')];
    for (let i = 0; i < 3; i++) expect(conv.next(nothing)).toBe(WAIT);
    expect(conv.next(nothing)).toBeNull();
    expect(conv.failure).toMatch(/no slot list or confirm buttons at step pick: Uy, ese horario/);
  });
});
