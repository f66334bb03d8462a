import type { SentRecord } from '@medcita/testkit/simulator';
import { summarize } from './stats.js';

/** All replies of the turn that answered the last message: sends until none arrived for 40 ms. */
export async function turnReplies(all: () => SentRecord[], seen: number): Promise<SentRecord[]> {
  let count = all().length;
  for (let waited = 0; waited < 2_000; waited += 40) {
    await new Promise((r) => setTimeout(r, 40));
    const now = all().length;
    if (now === count && now > seen) break;
    count = now;
  }
  return all().slice(seen);
}

/**
 * Which message a reply answers, for any handler: each turn starts by marking
 * its batch's last message read (with the typing indicator), so a send to a
 * user answers every message of that user up to the last one marked read.
 * Only the first send of a turn counts (what the user sees first).
 */
export class ReplyTracker {
  readonly ackAt = new Map<string, number>();
  readonly replyAt = new Map<string, number>();
  private readonly byWamid = new Map<string, { s: number; m: number }>();
  /** When the bench started posting each message (`s:m`), before the ingress answered. */
  private readonly postedAt = new Map<string, number>();
  private readonly readUpTo = new Map<number, number>();
  private readonly answeredUpTo = new Map<number, number>();
  private readonly lastSentAt = new Map<number, number>();
  private readonly waiters = new Map<string, () => void>();
  sends = 0;

  constructor(private readonly sessionOf: (to: string) => number | undefined) {}

  expect(wamid: string, s: number, m: number): void {
    this.byWamid.set(wamid, { s, m });
    this.postedAt.set(`${s}:${m}`, Date.now());
  }

  onRead(messageId: string): void {
    const msg = this.byWamid.get(messageId);
    if (!msg) return;
    this.readUpTo.set(msg.s, Math.max(msg.m, this.readUpTo.get(msg.s) ?? -1));
    // Mark-as-read is fire-and-forget, so a turn's reply can reach the fake Graph API
    // before its read call: a send to this user since the message was posted answers it.
    // (Since it was posted, not acknowledged: a fast turn sends its reply and its read
    // before this process has read the ingress's 200, and was then left unanswered
    // until the session's next message, a 2 s "latency" at 200 msgs/s over 400 sessions.)
    const lastSent = this.lastSentAt.get(msg.s);
    const posted = this.postedAt.get(`${msg.s}:${msg.m}`);
    if (lastSent !== undefined && posted !== undefined && lastSent >= posted) this.answer(msg.s, msg.m, lastSent);
  }

  onSent(record: SentRecord): void {
    this.sends += 1;
    const s = this.sessionOf(record.to);
    if (s === undefined) return;
    this.lastSentAt.set(s, record.receivedAt);
    this.answer(s, this.readUpTo.get(s) ?? -1, record.receivedAt);
  }

  private answer(s: number, upTo: number, at: number): void {
    for (let m = (this.answeredUpTo.get(s) ?? -1) + 1; m <= upTo; m++) {
      const key = `${s}:${m}`;
      this.replyAt.set(key, at);
      this.waiters.get(key)?.();
    }
    this.answeredUpTo.set(s, Math.max(upTo, this.answeredUpTo.get(s) ?? -1));
  }

  replied(s: number, m: number): Promise<void> {
    const key = `${s}:${m}`;
    return new Promise((resolve) => {
      if (this.replyAt.has(key)) return resolve();
      this.waiters.set(key, () => {
        this.waiters.delete(key);
        resolve();
      });
    });
  }
}

const BOUNDS = [25, 50, 100, 250, 500, 1000, 2000, 5000];
export function histogram(values: number[]): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries([...BOUNDS.map((b) => [`<${b}`, 0]), [`>=${BOUNDS.at(-1)}`, 0]]);
  for (const v of values) {
    const b = BOUNDS.find((bound) => v < bound);
    out[b === undefined ? `>=${BOUNDS.at(-1)}` : `<${b}`]! += 1;
  }
  return out;
}

/** An answered message: when the ingress acked it, and its ack→reply (0 when the reply was read before the ack). */
export interface Answered {
  ackAt: number;
  ms: number;
  replyBeforeAck: boolean;
}

/** The answered messages among `keys`. */
export function answeredAmong(tracker: ReplyTracker, keys: Iterable<string>): Answered[] {
  const out: Answered[] = [];
  for (const key of keys) {
    const reply = tracker.replyAt.get(key);
    if (reply === undefined) continue;
    const ackAt = tracker.ackAt.get(key)!;
    out.push({ ackAt, ms: Math.max(0, reply - ackAt), replyBeforeAck: reply < ackAt });
  }
  return out;
}

/** Messages grouped by the second (from t0) the ingress acked them; the three seconds with the worst p95 ack→reply. */
export function slowestSeconds(answered: readonly Answered[], t0: number): { atS: number; messages: number; p95Ms: number }[] {
  const bySecond = new Map<number, number[]>();
  for (const { ackAt, ms } of answered) {
    const second = Math.floor((ackAt - t0) / 1000);
    const list = bySecond.get(second);
    if (list) list.push(ms);
    else bySecond.set(second, [ms]);
  }
  return [...bySecond]
    .map(([atS, ms]) => ({ atS, messages: ms.length, p95Ms: summarize(ms).p95 }))
    .sort((a, b) => b.p95Ms - a.p95Ms)
    .slice(0, 3);
}
