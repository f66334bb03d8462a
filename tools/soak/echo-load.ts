import type { InboundItem, Rng } from '@medcita/testkit/simulator';
import type { Ledger } from './ledger.js';
import type { MetaSender } from './meta-sender.js';

export interface EchoLoadOptions {
  /** POSTs in flight at once. */
  parallel: number;
  /** Share of messages delivered a second time. */
  duplicateRate: number;
  /** Most acknowledged messages not yet handled by a committed turn before the sender waits (keeps the backlog bounded). */
  window: number;
  /** Resolves when the load may go on (chaos holds it never; a stop request ends it). */
  shouldStop: () => boolean;
}

/**
 * Every session writes its messages in order ("s<S>m<M>"): a session's next
 * message goes out only after the POST with its previous one got 200, as a
 * user's messages reach Meta in order. POSTs mix 1–4 sessions (sometimes two
 * messages of one session), and a tenth of the messages is delivered again,
 * either later in the same POST or, once that POST got 200, in a later POST of
 * other sessions.
 */
export async function runEchoLoad(ledger: Ledger, sender: MetaSender, rng: Rng, opts: EchoLoadOptions): Promise<void> {
  const sessions = ledger.sessions;
  const next = new Int32Array(sessions);
  const ready: number[] = Array.from({ length: sessions }, (_, s) => s);
  let pendingSessions = sessions;
  const waiting: number[] = []; // duplicates owed, as global message indexes
  const waiters: (() => void)[] = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  const sessionOf = (g: number) => {
    let lo = 0;
    let hi = sessions - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ledger.offsets[mid]! <= g) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const take = (): number | undefined => {
    if (ready.length === 0) return undefined;
    const i = Math.floor(rng() * ready.length);
    const s = ready[i]!;
    ready[i] = ready[ready.length - 1]!;
    ready.pop();
    return s;
  };

  const lane = async (): Promise<void> => {
    for (;;) {
      if (opts.shouldStop()) return;
      while (ledger.ackedCount - ledger.consumedCount > opts.window && !opts.shouldStop()) await new Promise((r) => setTimeout(r, 50));
      const items: { g: number; item: InboundItem }[] = [];
      const released: number[] = [];
      // Copies to deliver in a later POST: owed only once this POST got 200, as Meta never sends a
      // message again before its first delivery was acknowledged. Releasing them earlier let a copy of
      // m4 overtake a POST with m3 that was being retried (an order "violation" of the harness's own making).
      const owed: number[] = [];
      const dup = { samePost: 0, otherPost: 0 };
      const want = 1 + Math.floor(rng() * 4);
      while (items.length < want) {
        const s = take();
        if (s === undefined) break;
        const count = rng() < 0.25 ? 2 : 1;
        for (let k = 0; k < count && ledger.offsets[s]! + next[s]! < ledger.offsets[s + 1]!; k++) {
          const g = ledger.offsets[s]! + next[s]!;
          items.push({ g, item: sender.item(g, s, next[s]!) });
          next[s]! += 1;
          if (rng() < opts.duplicateRate) {
            if (rng() < 0.3) {
              items.push({ g, item: sender.item(g, s, g - ledger.offsets[s]!) });
              dup.samePost += 1;
            } else owed.push(g);
          }
        }
        released.push(s);
      }
      // Copies owed from earlier POSTs ride along with other sessions' messages.
      while (waiting.length > 0 && (items.length === 0 || rng() < 0.5)) {
        const g = waiting.splice(Math.floor(rng() * waiting.length), 1)[0]!;
        const s = sessionOf(g);
        items.push({ g, item: sender.item(g, s, g - ledger.offsets[s]!) });
        dup.otherPost += 1;
        if (items.length >= 6) break;
      }
      if (items.length === 0) {
        if (pendingSessions === 0 && waiting.length === 0) return;
        await new Promise<void>((r) => waiters.push(r));
        continue;
      }
      await sender.deliver(items, dup);
      waiting.push(...owed);
      for (const s of released) {
        if (ledger.offsets[s]! + next[s]! < ledger.offsets[s + 1]!) ready.push(s);
        else pendingSessions -= 1;
      }
      wake();
    }
  };
  await Promise.all(Array.from({ length: opts.parallel }, () => lane()));
  wake();
}
