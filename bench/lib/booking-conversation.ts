import type { SentRecord } from '@medcita/testkit/simulator';
import { content, type InboundContent } from '@medcita/testkit/simulator';

/** What the patient sees of one reply: its kind and the ids it offers. */
interface Offer {
  kind: string;
  body: string;
  rows: { id: string; title: string }[];
  buttons: { id: string; title: string }[];
}

export function offerOf(record: SentRecord): Offer {
  const p = record.payload as Record<string, any>;
  const i = p.interactive;
  return {
    kind: p.type === 'interactive' ? String(i?.type) : String(p.type),
    body: String(p.text?.body ?? i?.body?.text ?? ''),
    rows: (i?.action?.sections ?? []).flatMap((s: any) => s.rows ?? []).map((r: any) => ({ id: r.id, title: r.title })),
    buttons: (i?.action?.buttons ?? []).map((b: any) => b.reply),
  };
}

const SPECIALTIES = [
  'cardiología',
  'dermatología',
  'pediatría',
  'traumatología',
  'oftalmología',
  'odontología',
  'ginecología',
  'medicina general',
];
// Half the patients say when they would like it; some of those match nothing and get the nearest alternatives.
const PREFERENCES = ['', 'para la próxima semana en la mañana', '', 'el viernes', '', 'después de las 3'];

/** `next`'s answer when the replies so far offer nothing to act on: collect more of them and ask again. */
export const WAIT = Symbol('wait for more replies');

/**
 * One patient booking an appointment the way a person does on WhatsApp:
 * "hola" → document → "quiero una cita de <specialty>" (half of them with a
 * day or time preference) → taps a slot of the list → asks the price before
 * confirming → taps "Sí, confirmar" → "gracias". A slot someone else took first
 * brings a fresh list and the patient taps again (bounded). `next` turns the
 * replies of the previous turn into the next message, null when done, or
 * WAIT when they offer nothing to act on yet (a few times, then it fails).
 */
export class BookingConversation {
  private step: 'hello' | 'document' | 'ask' | 'pick' | 'confirm' | 'thanks' | 'done' = 'hello';
  private asked = false;
  /** The confirm buttons of the pick: still valid after the question, as in WhatsApp, where they stay on screen. */
  private confirmShown: Offer | undefined;
  private picks = 0;
  /** Times in a row the patient waited for more replies of the same turn. */
  private waits = 0;
  booked = false;
  failure?: string;

  constructor(
    private readonly session: number,
    private readonly documentNumber: string,
  ) {}

  next(replies: SentRecord[]): InboundContent | typeof WAIT | null {
    const answer = this.decide(replies);
    if (answer !== WAIT) this.waits = 0;
    return answer;
  }

  private decide(replies: SentRecord[]): InboundContent | typeof WAIT | null {
    const offers = replies.map(offerOf);
    const list = [...offers].reverse().find((o) => o.rows.some((r) => r.id.startsWith('slot:')));
    const confirm =
      [...offers].reverse().find((o) => o.buttons.some((b) => b.id === 'affirm')) ?? (this.asked ? this.confirmShown : undefined);
    switch (this.step) {
      case 'hello':
        this.step = 'document';
        return content.text('hola');
      case 'document':
        this.step = 'ask';
        return content.text(this.documentNumber);
      case 'ask':
        this.step = 'pick';
        return content.text(
          `quiero una cita de ${SPECIALTIES[this.session % SPECIALTIES.length]} ${PREFERENCES[this.session % PREFERENCES.length]}`.trim(),
        );
      case 'pick':
      case 'confirm': {
        if (this.step === 'confirm' && offers.some((o) => o.body.includes('agendada'))) {
          this.booked = true;
          this.step = 'thanks';
          return content.text('gracias');
        }
        if (confirm && this.step === 'pick' && !this.asked) {
          // A question between picking and confirming: the answer re-offers the same held slot.
          this.asked = true;
          this.confirmShown = confirm;
          return content.text('cuánto cuesta la consulta?');
        }
        if (confirm && this.step === 'pick') {
          this.step = 'confirm';
          const yes = confirm.buttons.find((b) => b.id === 'affirm')!;
          return content.buttonReply(yes.id, yes.title);
        }
        if (list && this.picks < 8) {
          // Spread patients over the list so they do not all race for row 1.
          const slots = list.rows.filter((r) => r.id.startsWith('slot:'));
          const row = slots[(this.session * 7 + this.picks * 3) % slots.length]!;
          this.picks += 1;
          this.step = 'pick';
          return content.listReply(row.id, row.title);
        }
        if (this.waits < 3) {
          // Nothing to act on yet: under load a turn's replies can come more than the
          // collector's quiet gap apart, and a late reply of the turn before can be all it saw.
          this.waits += 1;
          return WAIT;
        }
        this.failure = `no slot list or confirm buttons at step ${this.step}: ${offers.map((o) => o.body.slice(0, 300)).join(' | ')}`;
        this.step = 'done';
        return null;
      }
      case 'thanks':
        this.step = 'done';
        return null;
      default:
        return null;
    }
  }
}
