import type { InboundContent, SentRecord } from '@medcita/testkit/simulator';
import { WAIT, type BookingConversation } from './booking-conversation.js';
import { turnReplies, type ReplyTracker } from './reply-tracker.js';

export interface LoadContext {
  /** Posts message `m` of session `s` (retrying like Meta) and records its ack. */
  post: (s: number, m: number, body?: InboundContent) => Promise<void>;
  tracker: ReplyTracker;
  sessions: number;
  messages: number;
  /** burst: requests in flight at most. */
  parallel: number;
  /** open: messages per second. */
  rate: number;
  /** booking: one conversation per session. */
  conversations?: BookingConversation[];
  /** Every send the fake Graph API received, per session, in order. */
  sentTo: Map<number, SentRecord[]>;
}

/** The shapes of load bench:pipeline offers (see its usage): each resolves once every message it posted is answered. */
export function pipelineLoads(ctx: LoadContext) {
  const { post, tracker } = ctx;
  const nextOpen = new Array<number>(ctx.sessions).fill(0);
  let openSent = 0;
  const sessions = Array.from({ length: ctx.sessions }, (_, s) => s);
  return {
    /** `count` messages at `rate` per second, round-robin over the sessions, whatever the answers; `lag` gets how late each post left. */
    async open(count: number, lag: number[]): Promise<void> {
      const pending: Promise<void>[] = [];
      const start = performance.now();
      for (let i = 0; i < count; i++) {
        const due = start + (i * 1000) / ctx.rate;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        lag.push(Math.max(0, performance.now() - due));
        const s = openSent++ % ctx.sessions;
        const m = nextOpen[s]!++;
        pending.push(post(s, m).then(() => tracker.replied(s, m)));
      }
      await Promise.all(pending);
    },

    /** Every session a patient booking an appointment, answering what the bot last said. */
    async booking(): Promise<void> {
      await Promise.all(
        ctx.conversations!.map(async (conv, s) => {
          let seen = 0;
          let replies: SentRecord[] = [];
          for (let m = 0; m < 16; m++) {
            let next = conv.next(replies);
            while (next === WAIT) {
              const more = await turnReplies(() => ctx.sentTo.get(s) ?? [], seen);
              seen += more.length;
              replies = [...replies, ...more];
              next = conv.next(replies);
            }
            if (!next) return;
            await post(s, m, next);
            await tracker.replied(s, m);
            replies = await turnReplies(() => ctx.sentTo.get(s) ?? [], seen);
            seen += replies.length;
          }
        }),
      );
    },

    /** Every session a user who writes, waits for the answer, writes again. */
    async closed(): Promise<void> {
      await Promise.all(
        sessions.map(async (s) => {
          for (let m = 0; m < ctx.messages; m++) {
            await post(s, m);
            await tracker.replied(s, m);
          }
        }),
      );
    },

    /** Each session posts in order without waiting for answers; at most `parallel` requests in flight. */
    async burst(): Promise<void> {
      let inFlight = 0;
      const slots: (() => void)[] = [];
      const take = async () => {
        while (inFlight >= ctx.parallel) await new Promise<void>((r) => slots.push(r));
        inFlight += 1;
      };
      await Promise.all(
        sessions.map(async (s) => {
          for (let m = 0; m < ctx.messages; m++) {
            await take();
            try {
              await post(s, m);
            } finally {
              inFlight -= 1;
              slots.shift()?.();
            }
          }
        }),
      );
      await Promise.all(sessions.flatMap((s) => Array.from({ length: ctx.messages }, (__, m) => tracker.replied(s, m))));
    },
  };
}
