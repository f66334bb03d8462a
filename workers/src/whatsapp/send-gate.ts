import { setTimeout as sleep } from 'node:timers/promises';
import { LogEvent, type Logger } from '@medcita/shared';
import type { Pacing, SendLedger, StartTiming } from './send-ledger.js';

const POLL_MS = 100;

/** This sender lost the marker to another (it had lost its turn); the other one sends. */
export class StoodDown extends Error {}

/** One message on its way: whose it is and where its slot comes from. */
export interface Outgoing {
  pn: string;
  idempotencyKey: string;
  owner: string;
  pacing: Pacing;
  /** Set once this sender holds the marker: later starts only check it still does. */
  claimed: boolean;
  /** Log context of the message. */
  ctx: object;
}

/**
 * Lets a sender's request out: claimed, paced and recorded as started in one
 * round trip (startSend-5.lua), with the slow paths (another sender's request
 * in flight, a pause, a far slot, a late wake-up) around it.
 */
export class SendGate {
  constructor(
    private readonly ledger: SendLedger,
    private readonly timing: StartTiming,
    private readonly log: Logger,
    private readonly onUnknownOutcomeResend?: () => void,
  ) {}

  /**
   * Resolves when this sender may put its request on the wire: the message
   * claimed (first call) or still its own, its slot reached, its start
   * recorded. Returns the message id instead when the message was already
   * sent (first call only); throws StoodDown when another sender has it.
   */
  async ready(out: Outgoing): Promise<string | null> {
    for (;;) {
      const calledAt = performance.now();
      const r = await this.ledger.start(out.pn, out.idempotencyKey, out.owner, out.pacing, this.timing, !out.claimed);
      if (r.state === 'done') return r.messageId;
      if (r.state === 'lost') throw new StoodDown();
      if (r.state === 'busy') {
        // Another sender's request may be in flight: wait for its answer, or its
        // status webhook, or the grace to run out (the claim then changes hands).
        await sleep(POLL_MS);
        continue;
      }
      if (!out.claimed) {
        out.claimed = true;
        if (r.from === 'unknown') {
          // Its sender died mid-request and no status arrived within the grace:
          // the user most likely never got it. A rare duplicate beats a lost reply.
          this.log.warn({ ...out.ctx, graceMs: this.timing.unknownGraceMs }, LogEvent.UnknownOutcomeResend);
          this.onUnknownOutcomeResend?.();
        }
      }
      if (r.waitMs > 0) {
        if (this.log.isLevelEnabled('debug')) {
          this.log.debug({ ...out.ctx, reason: r.state === 'paused' ? r.reason : 'slot', ms: r.waitMs }, 'waiting to send');
        }
        await sleep(r.waitMs);
      }
      if (r.state === 'paused') continue;
      // Recorded as started at its slot's time: a sender that woke much later
      // (a stalled process) checks again that the message is still its own.
      const late = performance.now() - calledAt > r.waitMs + this.timing.beginWithinMs;
      if ((!r.begun || late) && !(await this.ledger.begin(out.pn, out.idempotencyKey, out.owner))) throw new StoodDown();
      return null;
    }
  }
}
