import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sessionHash, UnrecoverableError, type Logger, type OutboundMessage, type RedisClient } from '@medcita/shared';
import { GraphRequests, type GraphRequestEvent } from './graph-requests.js';
import { buildSendPayload, graphAddress, type GraphAddress } from './outbound-payload.js';
import { SendGate, StoodDown, type Outgoing } from './send-gate.js';
import { SendLedger } from './send-ledger.js';
import { SendLimiter } from './send-limiter.js';

export type { GraphRequestEvent } from './graph-requests.js';

export interface GraphClientOptions {
  baseUrl: string;
  version: string;
  accessToken: string;
  timeoutMs?: number;
  maxAttempts?: number;
  redis: RedisClient;
  /** Prefix of the limiter and idempotency keys in Redis. */
  keyPrefix: string;
  limiter?: {
    perSecond?: number;
    /** First pause of a number after an app/account call limit (80007, 4, 613); doubles on each further one within one send. */
    numberPauseMs?: number;
    /** Adaptive rate after 130429: climb back in msg/s per second (default perSecond/10), factor per throttle (default 0.95). */
    increasePerSecond?: number;
    decreaseFactor?: number;
    /** Pause for one user after 131056 (Meta allows about one message per 6 s to the same user). */
    pairPauseMs?: number;
  };
  retry?: { baseMs?: number; maxMs?: number };
  /**
   * How long idempotency markers live while their turn may be retried;
   * default 1 day, the life of a turn's pending batch (docs/architecture.md).
   */
  idempotencyTtlSeconds?: number;
  /** Their life once the turn committed (see `turnCommitted`); default 15 min, far past any lock TTL. */
  committedMarkerTtlSeconds?: number;
  /** Mark-as-read is a courtesy nobody waits for; default 2 s. */
  readTimeoutMs?: number;
  /**
   * After a request's timeout, how long its `sent` status webhook may take to
   * settle a send that got no answer (timed out, reset, or its sender died);
   * past that the message counts as lost and is resent. Default 10 s.
   */
  statusWaitMs?: number;
  logger: Logger;
  onRequest?: (event: GraphRequestEvent) => void;
  /** A message was resent because its earlier send's outcome stayed unknown. */
  onUnknownOutcomeResend?: () => void;
  /** A sent message's marker could not be marked done (its status webhook will settle it). */
  onSentNotRecorded?: () => void;
}

export interface Recipient {
  phoneNumberId: string;
  waId?: string;
  userId?: string;
}

export interface SendResult {
  /** Graph message id; null only when this sender stood down because another took the message over. */
  messageId: string | null;
  /** True when this call did not send because the message was already sent (or claimed). */
  skipped: boolean;
}

const POLL_MS = 100;
/** Meta's limit for biz_opaque_callback_data. */
const CALLBACK_DATA_MAX = 512;

/**
 * Sends WhatsApp messages through the Graph API: paced fleet-wide per number,
 * retried with backoff on throttling/5xx/network errors, failing fast (and
 * without retry) on errors that cannot succeed, and idempotent per message so
 * a turn re-run after a crash does not send its replies twice.
 */
export class GraphClient {
  private readonly limiter: SendLimiter;
  private readonly ledger: SendLedger;
  private readonly unknownGraceMs: number;
  private readonly gate: SendGate;
  private readonly requests: GraphRequests;
  private readonly log: Logger;

  constructor(private readonly opts: GraphClientOptions) {
    const timeoutMs = opts.timeoutMs ?? 10_000;
    this.limiter = new SendLimiter({
      redis: opts.redis,
      keyPrefix: opts.keyPrefix,
      perSecond: opts.limiter?.perSecond ?? 80,
      ...(opts.limiter?.increasePerSecond === undefined ? {} : { increasePerSecond: opts.limiter.increasePerSecond }),
      ...(opts.limiter?.decreaseFactor === undefined ? {} : { decreaseFactor: opts.limiter.decreaseFactor }),
    });
    this.ledger = new SendLedger(opts.redis, opts.keyPrefix, (opts.idempotencyTtlSeconds ?? 86_400) * 1000);
    this.log = opts.logger.child({ component: 'graph-client' });
    this.unknownGraceMs = timeoutMs + (opts.statusWaitMs ?? 10_000);
    this.requests = new GraphRequests({
      apiBase: `${opts.baseUrl.replace(/\/+$/, '')}/${opts.version}`,
      accessToken: opts.accessToken,
      timeoutMs,
      maxAttempts: opts.maxAttempts ?? 4,
      unknownGraceMs: this.unknownGraceMs,
      numberPauseMs: opts.limiter?.numberPauseMs ?? 1_000,
      pairPauseMs: opts.limiter?.pairPauseMs ?? 6_000,
      retryBaseMs: opts.retry?.baseMs ?? 250,
      retryMaxMs: opts.retry?.maxMs ?? 8_000,
      readTimeoutMs: opts.readTimeoutMs ?? 2_000,
      limiter: this.limiter,
      log: this.log,
      onRequest: opts.onRequest,
      onUnknownOutcomeResend: opts.onUnknownOutcomeResend,
    });
    const timing = {
      unknownGraceMs: this.unknownGraceMs,
      takeoverMs: timeoutMs,
      // A request recorded as started before its sender's wait may leave that
      // much later than recorded; a small share of the timeout keeps the
      // grace covering the whole request, as when it was recorded right before.
      beginWithinMs: Math.min(500, Math.floor(timeoutMs / 10)),
    };
    this.gate = new SendGate(this.ledger, timing, this.log, opts.onUnknownOutcomeResend);
  }

  /**
   * Sends `message` once per `idempotencyKey` (e.g. `${turnId}:${index}`).
   * Throws UnrecoverableError (code = Graph error code, or
   * OUTBOUND_MESSAGE_INVALID before sending when the message breaks
   * WhatsApp's structural limits) when retrying cannot help, and
   * GraphSendError when attempts ran out on retryable failures.
   */
  async send(recipient: Recipient, message: OutboundMessage, opts: { idempotencyKey: string }): Promise<SendResult> {
    let address: GraphAddress;
    let payload: Record<string, unknown>;
    try {
      address = graphAddress(recipient);
      payload = buildSendPayload(address, message);
    } catch (err) {
      // A malformed reply is a bug in the turn; retrying the job cannot fix it.
      throw new UnrecoverableError((err as Error).message, 'OUTBOUND_MESSAGE_INVALID');
    }
    const target = 'to' in address ? address.to : address.recipient;
    const pn = recipient.phoneNumberId;
    // Same hash as the inbound side's sessionKey, so logs of one conversation correlate.
    const ctx = {
      session: sessionHash(`${pn}:${recipient.userId ?? recipient.waId}`),
      idempotencyKey: opts.idempotencyKey,
      kind: message.kind,
    };

    // WhatsApp echoes this in the message's status webhooks; the ingress uses
    // it to settle the marker when this worker dies before reading the answer.
    if (opts.idempotencyKey.length <= CALLBACK_DATA_MAX) payload = { ...payload, biz_opaque_callback_data: opts.idempotencyKey };

    const out: Outgoing = {
      pn,
      idempotencyKey: opts.idempotencyKey,
      owner: randomUUID(),
      pacing: this.limiter.pacing(pn, target),
      claimed: false,
      ctx,
    };
    let maybeDelivered = false;
    // After an ambiguous attempt WhatsApp may hold the message: give its status
    // webhook the same grace a crashed sender's message gets before resending.
    const awaitStatus = async (startedAt: number): Promise<string | null> => {
      maybeDelivered = true;
      const deadline = startedAt + this.unknownGraceMs;
      for (;;) {
        const messageId = await this.ledger.settled(pn, opts.idempotencyKey);
        if (messageId !== null) return messageId;
        const left = deadline - Date.now();
        if (left <= 0) return null;
        await sleep(Math.min(POLL_MS, left));
      }
    };
    try {
      const done = await this.gate.ready(out);
      if (done !== null) return { messageId: done, skipped: true };
      const messageId = await this.requests.deliver(pn, target, payload, ctx, () => this.gate.ready(out), awaitStatus);
      this.recordSent(pn, opts.idempotencyKey, messageId, ctx);
      return { messageId, skipped: false };
    } catch (err) {
      if (err instanceof StoodDown) {
        this.log.warn(ctx, 'another sender took this message over; not sending');
        return { messageId: null, skipped: true };
      }
      // Only hand the message back if no attempt could have reached WhatsApp
      // (releasing a claim this sender never got changes nothing).
      if (!maybeDelivered) await this.ledger.release(pn, opts.idempotencyKey, out.owner).catch(() => undefined);
      throw err;
    }
  }

  /**
   * Marks the message sent with a plain SET (the reply costs one script
   * before its request and this after it), without waiting for Redis: the
   * SET leaves in the socket write of the caller's next command (the next
   * reply's start, or the turn's commit; coalesce-writes.ts) instead of
   * costing a round trip of its own. Nothing depends on its reply:
   *
   * - The caller went on after a failed SET before too (it was only logged),
   *   so "the commit succeeded, the SET did not" is no new case: the marker
   *   stays open with its request recorded as started, and the message's
   *   status webhook settles it (confirmSend-1); after the commit only a
   *   displaced owner can read it, and settleSend-1 never marks it done.
   * - On one Redis the SET and the caller's next commands share the
   *   connection, so Redis runs the SET before them: a commit never runs
   *   without it. A process that dies before the write sends neither, like
   *   one that died between the answer and an awaited SET: the retry finds
   *   the request recorded as started and waits for the status (no resend
   *   when WhatsApp got it, docs/architecture.md, "Crashes").
   * - On a Redis Cluster the marker ({P}) and the commit ({S}) are on
   *   different nodes, so the commit may run first, or a failover may lose
   *   the SET (as it could lose an acknowledged one before). A retry is only
   *   possible before the commit, and then finds the same open marker as
   *   after a crash, settled the same way.
   */
  private recordSent(pn: string, idempotencyKey: string, messageId: string, ctx: object): void {
    this.ledger.complete(pn, idempotencyKey, messageId).catch((err: unknown) => {
      // The user has the message and the status webhook will settle the marker.
      this.log.warn({ ...ctx, err }, 'could not record completed send');
      this.opts.onSentNotRecorded?.();
    });
  }

  /** The turn that sent these committed: their markers only need to outlive a displaced sender now. */
  async turnCommitted(phoneNumberId: string, idempotencyKeys: readonly string[]): Promise<void> {
    await this.ledger.shortenTtl(phoneNumberId, idempotencyKeys, (this.opts.committedMarkerTtlSeconds ?? 900) * 1000);
  }

  /** Marks an inbound message read, optionally with a typing indicator. Best effort: never throws. */
  async markRead(phoneNumberId: string, wamid: string, opts: { typing: boolean }): Promise<void> {
    await this.requests.markRead(phoneNumberId, wamid, opts);
  }
}
