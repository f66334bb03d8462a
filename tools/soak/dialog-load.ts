import type { InboundItem, Rng, SentRecord } from '@medcita/testkit/simulator';
import { BookingConversation, offerOf, WAIT } from '../../bench/lib/booking-conversation.js';
import type { Ledger } from './ledger.js';
import type { MetaSender } from './meta-sender.js';

/** Message slots per session: a booking conversation takes 6–12 messages. */
export const DIALOG_SLOTS = 16;

export interface DialogLoadOptions {
  parallel: number;
  duplicateRate: number;
  shouldStop: () => boolean;
}

export interface DialogOutcome {
  conversations: number;
  booked: number;
  /** Distinct "agendada" replies the patients received. */
  confirmationsSent: number;
  failures: string[];
}

/**
 * Every session is a patient booking an appointment through the dialog
 * (bench/lib/booking-conversation.ts): the next message is written after the
 * previous one was handled and its replies read. Copies of a tenth of the
 * messages are delivered again, in the same POST or with another patient's
 * next message.
 */
export async function runDialogLoad(
  ledger: Ledger,
  sender: MetaSender,
  documents: string[],
  repliesTo: (s: number) => SentRecord[],
  rng: Rng,
  opts: DialogLoadOptions,
): Promise<DialogOutcome> {
  const conversations = documents.map((doc, s) => new BookingConversation(s, doc));
  const owed: number[] = [];
  let running = 0;
  const slots: (() => void)[] = [];
  const acquire = async () => {
    while (running >= opts.parallel) await new Promise<void>((r) => slots.push(r));
    running += 1;
  };
  const release = () => {
    running -= 1;
    slots.shift()?.();
  };

  const converse = async (conv: BookingConversation, s: number) => {
    let seen = 0;
    let replies: SentRecord[] = [];
    for (let m = 0; m < DIALOG_SLOTS; m++) {
      if (opts.shouldStop()) return;
      let next = conv.next(replies);
      while (next === WAIT) {
        // Nothing to act on in what arrived so far: look again shortly (the conversation bounds the waits).
        await new Promise((r) => setTimeout(r, 250));
        const all = repliesTo(s);
        replies = [...replies, ...all.slice(seen)];
        seen = all.length;
        next = conv.next(replies);
      }
      if (!next) return;
      const g = s * DIALOG_SLOTS + m;
      const items: { g: number; item: InboundItem }[] = [{ g, item: sender.item(g, s, m, next) }];
      const dup = { samePost: 0, otherPost: 0 };
      if (rng() < opts.duplicateRate) {
        if (rng() < 0.3) {
          items.push({ g, item: sender.item(g, s, m) });
          dup.samePost += 1;
        } else owed.push(g);
      }
      while (owed.length > 0 && rng() < 0.5) {
        const d = owed.splice(Math.floor(rng() * owed.length), 1)[0]!;
        const ds = Math.floor(d / DIALOG_SLOTS);
        items.push({ g: d, item: sender.item(d, ds, d % DIALOG_SLOTS) });
        dup.otherPost += 1;
      }
      await acquire();
      try {
        await sender.deliver(items, dup);
      } finally {
        release();
      }
      while (!ledger.consumed[g] && !opts.shouldStop()) await new Promise((r) => setTimeout(r, 50));
      const all = repliesTo(s);
      replies = all.slice(seen);
      seen = all.length;
    }
  };
  await Promise.all(conversations.map((c, s) => converse(c, s)));
  // Copies still owed go out at the end, as Meta's late retries would.
  while (owed.length > 0) {
    const batch = owed.splice(0, 4);
    await sender.deliver(
      batch.map((d) => ({ g: d, item: sender.item(d, Math.floor(d / DIALOG_SLOTS), d % DIALOG_SLOTS) })),
      { samePost: 0, otherPost: batch.length },
    );
  }
  const confirmationsSent = documents.reduce(
    (n, _, s) =>
      n +
      new Set(
        repliesTo(s)
          .filter((r) => offerOf(r).body.includes('agendada'))
          .map((r) => r.payload.biz_opaque_callback_data),
      ).size,
    0,
  );
  return {
    conversations: conversations.length,
    booked: conversations.filter((c) => c.booked).length,
    confirmationsSent,
    failures: conversations.flatMap((c, s) => (c.failure ? [`session ${s}: ${c.failure}`] : [])).slice(0, 10),
  };
}
