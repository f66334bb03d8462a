import {
  confirmSendsFromStatuses,
  fleetKeys,
  OperatorReplyKey,
  type RedisClient,
  type ReplyStatus,
  type StatusEvent,
} from '@medcita/shared';

export interface StatusRecorderOptions {
  keyPrefix: string;
  /** Failed statuses kept for operators (stream length cap). */
  maxFailures: number;
}

/** Where an operator reply's delivery status is shown (the inbox's transcript store). */
export interface ReplyStatusSink {
  transcripts: { setStatus(sessionKey: string, replyId: string, status: ReplyStatus): Promise<boolean> };
  handoff: { bump(): Promise<void> };
}

/** Graph error: more than 24 hours since the patient last wrote; only a template gets through. */
const WINDOW_CLOSED = 131047;

/**
 * Delivery statuses: counted per status, failed ones kept in a capped stream
 * with their Graph error codes so they stay visible after the fact. A status
 * echoing one of our idempotency keys also settles that send's marker, so a
 * reply whose worker died before reading Graph's answer is not sent again;
 * one echoing an operator reply's key moves that reply's status in the inbox.
 */
export class StatusRecorder {
  constructor(
    private readonly redis: RedisClient,
    private readonly options: StatusRecorderOptions,
    private readonly replies?: ReplyStatusSink,
  ) {}

  get countsKey(): string {
    return fleetKeys(this.options.keyPrefix).statusCounts;
  }

  get failuresKey(): string {
    return fleetKeys(this.options.keyPrefix).failedStatuses;
  }

  async record(statuses: StatusEvent[]): Promise<void> {
    if (statuses.length === 0) return;
    const tally = new Map<string, number>();
    for (const s of statuses) tally.set(s.status, (tally.get(s.status) ?? 0) + 1);
    const writes: Promise<unknown>[] = [...tally].map(([status, n]) => this.redis.hincrby(this.countsKey, status, n));
    for (const s of statuses.filter((st) => st.status === 'failed')) {
      writes.push(
        this.redis.xadd(
          this.failuresKey,
          'MAXLEN',
          '~',
          String(this.options.maxFailures),
          '*',
          'messageId',
          s.messageId,
          'phoneNumberId',
          s.phoneNumberId,
          'recipient',
          s.recipient ?? '',
          'codes',
          s.errors.map((e) => e.code).join(','),
          'titles',
          s.errors.map((e) => e.title).join(' | '),
          'timestamp',
          String(s.timestamp),
        ),
      );
    }
    writes.push(confirmSendsFromStatuses(this.redis, this.options.keyPrefix, statuses));
    if (this.replies) writes.push(this.recordReplies(this.replies, statuses));
    await Promise.all(writes);
  }

  private async recordReplies(sink: ReplyStatusSink, statuses: StatusEvent[]): Promise<void> {
    let changed = false;
    for (const s of statuses) {
      const reply = OperatorReplyKey.parse(s.callbackData);
      if (!reply) continue;
      const status: ReplyStatus | undefined =
        s.status === 'failed'
          ? s.errors.some((e) => e.code === WINDOW_CLOSED)
            ? 'window_closed'
            : 'failed'
          : s.status === 'sent' || s.status === 'delivered' || s.status === 'read'
            ? s.status
            : undefined;
      if (status && (await sink.transcripts.setStatus(reply.sessionKey, reply.replyId, status))) changed = true;
    }
    if (changed) await sink.handoff.bump();
  }
}
